/** Detect what a path holds and yield its history as import items. */
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { isDiscordChatExport, readDiscordChatExport } from './formats/discord-chat-exporter';
import { openExport } from './formats/files';
import { readMessageLines } from './formats/jsonl';
import { isSlackExport, readSlackExport } from './formats/slack-export';
import type { ImportItem } from './types';

export type ImportFormat = 'slack-export' | 'discord-chat-exporter' | 'jsonl';

export const FORMAT_PLATFORM: Record<ImportFormat, string> = {
  'slack-export': 'slack',
  'discord-chat-exporter': 'discord',
  jsonl: 'shell',
};

export interface OpenedSource {
  format: ImportFormat;
  items: AsyncIterable<ImportItem>;
}

export async function openHistory(path: string, options: { privateChannels?: Set<string> } = {}): Promise<OpenedSource> {
  const info = await stat(path).catch(() => {
    throw new Error(`${path}: no such file or folder`);
  });
  const ext = extname(path).toLowerCase();
  if (info.isFile() && (ext === '.jsonl' || ext === '.ndjson')) return { format: 'jsonl', items: readMessageLines(path) };
  if (info.isFile() && ext === '.json') {
    const data = parseJson(await readFile(path, 'utf8'), path);
    if (!isDiscordChatExport(data)) throw new Error(`${path}: not a DiscordChatExporter JSON file (expected guild, channel and messages)`);
    return { format: 'discord-chat-exporter', items: toAsync(readDiscordChatExport(path, data, options.privateChannels)) };
  }
  if (info.isDirectory() || ext === '.zip') {
    const files = await openExport(path);
    const list = await files.list();
    if (isSlackExport(list)) return { format: 'slack-export', items: readSlackExport(files) };
    const jsonFiles = list.filter((f) => f.toLowerCase().endsWith('.json'));
    if (jsonFiles.length) {
      return {
        format: 'discord-chat-exporter',
        items: (async function* () {
          for (const file of jsonFiles) {
            let data: unknown;
            try {
              data = parseJson(await files.read(file), files.describe(file));
            } catch (error) {
              yield { kind: 'error', error: (error as Error).message, at: { file: files.describe(file) } } satisfies ImportItem;
              continue;
            }
            if (!isDiscordChatExport(data)) {
              yield { kind: 'error', error: `${files.describe(file)}: not a DiscordChatExporter file`, at: { file: files.describe(file) } } satisfies ImportItem;
              continue;
            }
            yield* readDiscordChatExport(files.describe(file), data, options.privateChannels);
          }
        })(),
      };
    }
    throw new Error(`${path}: not a Slack export (users.json + channels.json) nor DiscordChatExporter files`);
  }
  throw new Error(`${path}: unsupported file type (use a Slack export folder or .zip, DiscordChatExporter .json, or Hearth .jsonl)`);
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${where}: invalid JSON (${(error as Error).message})`);
  }
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}
