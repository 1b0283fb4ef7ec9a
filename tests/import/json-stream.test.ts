/** The streaming reader of DiscordChatExporter files: the same values whatever the chunking; broken JSON says its line. */
import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, streamJsonObject, type JsonEvent } from '../../src/import/formats/json-stream';

async function* chunked(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function read(text: string, size: number): Promise<JsonEvent[]> {
  const out: JsonEvent[] = [];
  for await (const event of streamJsonObject(chunked(text, size), new Set(['messages']))) out.push(event);
  return out;
}

const doc = {
  guild: { id: '1', name: 'quotes " and \\\\ backslashes' },
  channel: { id: '2', nested: [1, { close: '}]' }] },
  messages: [{ id: '3', content: 'héllo 👋 "quoted" ] } \\u0041' }, 7, 'text', null, true, [1, [2]]],
  messageCount: 6,
  ratio: -1.5e3,
};

describe('streamJsonObject', () => {
  it('yields the fields and each streamed element, the same for any chunk size', async () => {
    const text = JSON.stringify(doc, null, 2);
    const expected: JsonEvent[] = [
      { kind: 'field', key: 'guild', value: doc.guild },
      { kind: 'field', key: 'channel', value: doc.channel },
      ...doc.messages.map((value, i) => ({ kind: 'element' as const, key: 'messages', index: i + 1, value })),
      { kind: 'field', key: 'messageCount', value: 6 },
      { kind: 'field', key: 'ratio', value: -1500 },
    ];
    for (const size of [1, 2, 3, 5, 16, 1 << 20]) expect(await read(text, size)).toEqual(expected);
  });

  it('says on which line broken or truncated JSON breaks', async () => {
    const text = JSON.stringify(doc, null, 2);
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const failure = async (broken: string) => read(broken, 7).then(() => undefined, (error: JsonSyntaxError) => error);
    expect(await failure(text.replace('"text"', '"text'))).toMatchObject({ line: lineOf('"text') });
    expect(await failure(text.replace('"messageCount"', '"messageCount" 6'))).toMatchObject({ line: lineOf('"messageCount"') });
    expect(await failure(text.slice(0, text.indexOf('"ratio"')))).toMatchObject({ message: expect.stringMatching(/ends early/) });
    expect(await failure('[1, 2]')).toMatchObject({ line: 1, message: expect.stringMatching(/expected a JSON object/) });
  });
});
