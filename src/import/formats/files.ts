/** Read an export either from a folder or from a ZIP archive, with the same interface. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import yauzl from 'yauzl';

export interface ExportFiles {
  /** Paths relative to the export root, with forward slashes. */
  list(): Promise<string[]>;
  read(path: string): Promise<string>;
  describe(path: string): string;
}

export async function openExport(path: string): Promise<ExportFiles> {
  const info = await stat(path);
  if (info.isDirectory()) return folderExport(path);
  if (path.toLowerCase().endsWith('.zip')) return zipExport(path);
  throw new Error(`${path}: expected a folder or a .zip export`);
}

function folderExport(root: string): ExportFiles {
  return {
    async list() {
      const out: string[] = [];
      const walk = async (dir: string) => {
        for (const entry of await readdir(dir, { withFileTypes: true })) {
          const full = join(dir, entry.name);
          if (entry.isDirectory()) await walk(full);
          else out.push(relative(root, full).split(sep).join('/'));
        }
      };
      await walk(root);
      return out.sort();
    },
    read: (path) => readFile(join(root, path), 'utf8'),
    describe: (path) => join(root, path),
  };
}

function zipExport(zipPath: string): ExportFiles {
  // Slack exports are small enough (JSON text) to index once and read entries on demand.
  const entries = new Map<string, yauzl.Entry>();
  let zipfile: yauzl.ZipFile | undefined;
  const open = async () => {
    if (zipfile) return zipfile;
    zipfile = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(zipPath, { lazyEntries: true, autoClose: false }, (err, zf) => (err || !zf ? reject(err ?? new Error('cannot open zip')) : resolve(zf))),
    );
    await new Promise<void>((resolve, reject) => {
      zipfile!.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('/')) entries.set(entry.fileName.replace(/^[^/]+\/(?=(users|channels|groups)\.json$|[^/]+\/\d{4}-)/, ''), entry);
        zipfile!.readEntry();
      });
      zipfile!.on('end', () => resolve());
      zipfile!.on('error', reject);
      zipfile!.readEntry();
    });
    return zipfile;
  };
  return {
    async list() {
      await open();
      return [...entries.keys()].sort();
    },
    async read(path) {
      const zf = await open();
      const entry = entries.get(path);
      if (!entry) throw new Error(`${zipPath}: no entry ${path}`);
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
        zf.openReadStream(entry, (err, s) => (err || !s ? reject(err ?? new Error('cannot read entry')) : resolve(s))),
      );
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    describe: (path) => `${zipPath}!${path}`,
  };
}
