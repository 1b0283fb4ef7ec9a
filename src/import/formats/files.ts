/** Read an export either from a folder or from a ZIP archive, with the same interface. */
import { open as openFile, readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import yauzl from 'yauzl';

export interface ExportFiles {
  /** Paths relative to the export root, with forward slashes. */
  list(): Promise<string[]>;
  read(path: string): Promise<string>;
  /** The file's text in chunks, for files too large to hold whole; stopping early releases it. */
  stream(path: string): AsyncIterable<string>;
  /** The path as a person finds it: a file of the folder, or `export.zip!path` inside a zip. */
  describe(path: string): string;
}

const CHUNK = 64 * 1024;

/**
 * A file's text in chunks. Each read opens and closes the file, so the many files a
 * time-ordered merge has started hold no descriptors between reads.
 */
export async function* fileChunks(path: string): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let position = 0;
  for (;;) {
    const buffer = Buffer.allocUnsafe(CHUNK);
    const handle = await openFile(path, 'r');
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(buffer, 0, CHUNK, position));
    } finally {
      await handle.close();
    }
    if (bytesRead === 0) break;
    position += bytesRead;
    const text = decoder.write(buffer.subarray(0, bytesRead));
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
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
    stream: (path) => fileChunks(join(root, path)),
    describe: (path) => join(root, path),
  };
}

function zipExport(zipPath: string): ExportFiles {
  // Slack exports are small enough (JSON text) to index once and read entries on demand.
  const entries = new Map<string, yauzl.Entry>();
  let zipfile: yauzl.ZipFile | undefined;
  let opening: Promise<yauzl.ZipFile> | undefined;
  const open = () => (opening ??= index().catch((error: Error) => {
    throw new Error(`${zipPath}: cannot read this zip (truncated or damaged?): ${error.message}`);
  }));
  const index = async () => {
    zipfile = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(zipPath, { lazyEntries: true, autoClose: false }, (err, zf) => (err || !zf ? reject(err ?? new Error('cannot open zip')) : resolve(zf))),
    );
    await new Promise<void>((resolve, reject) => {
      zipfile!.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('/')) entries.set(entry.fileName.replace(/^[^/]+\/(?=(users|channels|groups|dms|mpims)\.json$|[^/]+\/\d{4}-)/, ''), entry);
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
      const chunks: string[] = [];
      for await (const chunk of this.stream(path)) chunks.push(chunk);
      return chunks.join('');
    },
    async *stream(path) {
      const zf = await open();
      const entry = entries.get(path);
      if (!entry) throw new Error(`no entry ${path} in ${zipPath}`);
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
        zf.openReadStream(entry, (err, s) => (err || !s ? reject(err ?? new Error('cannot read entry')) : resolve(s))),
      );
      const decoder = new StringDecoder('utf8');
      try {
        for await (const chunk of stream) {
          const text = decoder.write(chunk as Buffer);
          if (text) yield text;
        }
      } catch (error) {
        throw new Error(`cannot read it from the zip (truncated or damaged?): ${(error as Error).message}`);
      }
      const rest = decoder.end();
      if (rest) yield rest;
    },
    describe: (path) => `${zipPath}!${path}`,
  };
}
