/** Detect what a path holds and yield its history as import items, in time order. */
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { readDiscordChatExport } from './formats/discord-chat-exporter';
import { fileChunks, openExport } from './formats/files';
import { readMessageLines } from './formats/jsonl';
import { isSlackExport, readSlackExport } from './formats/slack-export';
import { mergeByTime } from './merge';
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

export interface HistoryOptions {
  /** DiscordChatExporter channels (ids or names) to import as private. */
  privateChannels?: Set<string>;
  /** Import direct messages and group DMs (private to their participants); skipped otherwise. */
  includeDms?: boolean;
}

export async function openHistory(path: string, options: HistoryOptions = {}): Promise<OpenedSource> {
  const info = await stat(path).catch(() => {
    throw new Error(`${path}: no such file or folder`);
  });
  const ext = extname(path).toLowerCase();
  if (info.isFile() && (ext === '.jsonl' || ext === '.ndjson')) return { format: 'jsonl', items: readMessageLines(path) };
  if (info.isFile() && ext === '.json') {
    const items = readDiscordChatExport(path, fileChunks(path), options);
    // One file: a file that is not an export is said at once, as a usage error.
    const first = await items.next();
    if (!first.done && first.value.kind === 'error' && first.value.at.line === undefined && first.value.at.message === undefined) {
      throw new Error(`${path}: ${first.value.error}`);
    }
    return { format: 'discord-chat-exporter', items: (async function* () {
      if (!first.done) yield first.value;
      yield* items;
    })() };
  }
  if (info.isDirectory() || ext === '.zip') {
    const files = await openExport(path);
    const list = await files.list();
    if (isSlackExport(list)) return { format: 'slack-export', items: readSlackExport(files, options) };
    const jsonFiles = list.filter((f) => f.toLowerCase().endsWith('.json'));
    if (jsonFiles.length) {
      // Each file is one channel in time order; together, merged by time (not by file name).
      const streams = jsonFiles.map((file) => () => readDiscordChatExport(files.describe(file), files.stream(file), options));
      return { format: 'discord-chat-exporter', items: mergeByTime(streams) };
    }
    throw new Error(`${path}: not a Slack export (users.json + channels.json) nor DiscordChatExporter files`);
  }
  throw new Error(`${path}: unsupported file type (use a Slack export folder or .zip, DiscordChatExporter .json, or Hearth .jsonl)`);
}
