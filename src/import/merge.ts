/**
 * History from many files, in time order: a k-way merge of per-file streams, each already in
 * time order (a DiscordChatExporter file, a Slack channel's days). Memory stays bounded by
 * opening a stream only when the merge reaches its first item: each file is peeked once for
 * that time, so a thread from 2021 is not read (nor held) while 2019 is replayed, and the
 * streams open at once are those whose time spans overlap.
 */
import { itemTime, type ImportItem } from './types';

export type ItemStream = () => AsyncIterable<ImportItem>;

interface Head {
  item: ImportItem;
  time: number;
  order: number;
  rest: AsyncIterator<ImportItem>;
}

/** Equal times keep the streams' given order (a channel before its threads, by file name). */
const before = (a: Head, b: Head) => a.time < b.time || (a.time === b.time && a.order < b.order);

export async function* mergeByTime(streams: ItemStream[]): AsyncGenerator<ImportItem> {
  // Peek: the time of each stream's first item (errors and skips come first: time 0).
  const starts: { order: number; start: number }[] = [];
  for (const [order, open] of streams.entries()) {
    const rest = open()[Symbol.asyncIterator]();
    const first = await rest.next();
    await rest.return?.();
    if (!first.done) starts.push({ order, start: itemTime(first.value) });
  }
  starts.sort((a, b) => a.start - b.start || a.order - b.order);

  const heap: Head[] = [];
  const push = (head: Head) => {
    heap.push(head);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  };
  const pop = (): Head => {
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let min = i;
        if (l < heap.length && before(heap[l], heap[min])) min = l;
        if (r < heap.length && before(heap[r], heap[min])) min = r;
        if (min === i) break;
        [heap[i], heap[min]] = [heap[min], heap[i]];
        i = min;
      }
    }
    return top;
  };
  const advance = async (rest: AsyncIterator<ImportItem>, order: number) => {
    const next = await rest.next();
    if (!next.done) push({ item: next.value, time: itemTime(next.value), order, rest });
  };

  let pending = 0;
  try {
    while (pending < starts.length || heap.length) {
      // Open every stream whose first item is due before the earliest head.
      while (pending < starts.length && (!heap.length || starts[pending].start <= heap[0].time)) {
        const { order } = starts[pending++];
        await advance(streams[order]()[Symbol.asyncIterator](), order);
      }
      if (!heap.length) continue;
      const head = pop();
      yield head.item;
      await advance(head.rest, head.order);
    }
  } finally {
    // Stopped early (an error, Ctrl-C): release the files still open.
    for (const head of heap) await head.rest.return?.();
  }
}
