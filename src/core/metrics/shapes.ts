/**
 * The human messages a pulse reads (the window, and back to four weeks before its end, which
 * thread resolution looks over), held as columns rather than an object per message. At 1M
 * messages a year that is about 80,000 messages: as objects, with a string for every id,
 * author, channel and reference, they took most of the 57 MB a computation held at its peak;
 * as columns, with authors and channels numbered, references turned into positions (the store
 * gives them as row ids) and no message ids at all (a list names a message by id through
 * `messages.idsOf`), about 3 MB. They are read a day at a time, so the rows the store returns
 * never pile up either.
 */
import { DAY } from '../clock';
import type { MessageShape, Repositories } from '../storage';
import { judgeShapes, verdictFlags, verdictsTag } from './verdicts';

/** A reference to no message. */
export const NONE = -1;
/** A reference to a message not among these: older, later, or a bot's. */
export const ELSEWHERE = -2;

export interface Shapes {
  readonly length: number;
  /** The store's row ids (`messages.idsOf` names them). */
  readonly rowId: Float64Array;
  /** The positions in row id order (`positionOfRow` searches them). */
  readonly byRowId: Int32Array;
  readonly createdAt: Float64Array;
  /** The verdicts' flags (verdicts.ts: ASKS and resolution's bits), current ones. */
  readonly flags: Uint8Array;
  /** Position in `authors`. */
  readonly author: Int32Array;
  readonly authors: string[];
  /** Position in `channels`. */
  readonly channel: Int32Array;
  readonly channels: string[];
  /** What each message replies to, sits in the thread of, belongs to the discussion of: a position here, NONE or ELSEWHERE. */
  readonly replyTo: Int32Array;
  readonly threadId: Int32Array;
  readonly discussionId: Int32Array;
}

/** How far a read goes at once: a day of a busy community is a few thousand messages. */
const READ_SPAN = DAY;

/**
 * The messages of [since, until) whose author `isHuman`, oldest first (time, then row id),
 * with their current verdicts (judged and stored where they were not: judgeShapes).
 */
export async function readShapes(
  repos: Pick<Repositories, 'messages'>,
  community: string,
  since: number,
  until: number,
  isHuman: (authorId: string) => boolean,
): Promise<Shapes> {
  const columns = new ShapeColumns();
  const tag = verdictsTag();
  for (let from = since; from < until; from += READ_SPAN) {
    const read = await repos.messages.shapesInWindow(community, from, Math.min(from + READ_SPAN, until), { judgedWith: tag });
    for (const shape of await judgeShapes(repos, community, read.filter((m) => isHuman(m.authorId)))) columns.add(shape, verdictFlags(shape.verdicts));
  }
  return columns.done();
}

/** Each author's posts in [since, until) (of those `wanted`), oldest first, a day at a time. */
export async function postTimes(repos: Pick<Repositories, 'messages'>, community: string, since: number, until: number, wanted: (authorId: string) => boolean): Promise<Map<string, number[]>> {
  const times = new Map<string, number[]>();
  for (let from = since; from < until; from += READ_SPAN) {
    for (const m of await repos.messages.shapesInWindow(community, from, Math.min(from + READ_SPAN, until))) {
      if (!wanted(m.authorId)) continue;
      const own = times.get(m.authorId);
      if (own) own.push(m.createdAt);
      else times.set(m.authorId, [m.createdAt]);
    }
  }
  return times;
}

/** Index of the first message at or after `at` (binary search over `createdAt`). */
export function firstAtOrAfterTime(shapes: Pick<Shapes, 'createdAt' | 'length'>, at: number): number {
  let lo = 0;
  let hi = shapes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (shapes.createdAt[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A message that starts a conversation: not a reply, and not inside someone else's thread. */
export function startsConversation(shapes: Pick<Shapes, 'replyTo' | 'threadId'>, i: number): boolean {
  return shapes.replyTo[i] === NONE && (shapes.threadId[i] === NONE || shapes.threadId[i] === i);
}

/** Shapes appended in order, then frozen into columns (`done`). */
class ShapeColumns {
  private length = 0;
  private rowId = new Float64Array(1024);
  private createdAt = new Float64Array(1024);
  private flags = new Uint8Array(1024);
  private author = new Int32Array(1024);
  private channel = new Int32Array(1024);
  /** Each message's reply, thread and discussion as the store gave them (row ids, null as -1), turned into positions in `done`. */
  private references = new Float64Array(3 * 1024);
  private readonly authors = new Numbered();
  private readonly channels = new Numbered();

  add(shape: MessageShape, flags: number): void {
    const i = this.length++;
    if (i === this.createdAt.length) this.grow();
    this.rowId[i] = shape.rowId;
    this.createdAt[i] = shape.createdAt;
    this.flags[i] = flags;
    this.author[i] = this.authors.of(shape.authorId);
    this.channel[i] = this.channels.of(shape.channelId);
    this.references[3 * i] = shape.replyTo ?? -1;
    this.references[3 * i + 1] = shape.threadId ?? -1;
    this.references[3 * i + 2] = shape.discussionId ?? -1;
  }

  done(): Shapes {
    const n = this.length;
    const rowId = this.rowId.slice(0, n);
    const byRowId = rowIdOrder(rowId);
    const position = (named: number) => positionOfRow({ rowId, byRowId }, named);
    const column = (k: number) => {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const named = this.references[3 * i + k];
        out[i] = named === -1 ? NONE : named === 0 ? ELSEWHERE : position(named);
      }
      return out;
    };
    return {
      length: n,
      rowId,
      byRowId,
      createdAt: this.createdAt.slice(0, n),
      flags: this.flags.slice(0, n),
      author: this.author.slice(0, n),
      authors: this.authors.names,
      channel: this.channel.slice(0, n),
      channels: this.channels.names,
      replyTo: column(0),
      threadId: column(1),
      discussionId: column(2),
    };
  }

  private grow(): void {
    const size = this.createdAt.length * 2;
    const grown = <A extends Float64Array | Int32Array | Uint8Array>(a: A, make: (n: number) => A, by = 1): A => {
      const b = make(size * by);
      b.set(a);
      return b;
    };
    this.rowId = grown(this.rowId, (n) => new Float64Array(n));
    this.createdAt = grown(this.createdAt, (n) => new Float64Array(n));
    this.flags = grown(this.flags, (n) => new Uint8Array(n));
    this.author = grown(this.author, (n) => new Int32Array(n));
    this.channel = grown(this.channel, (n) => new Int32Array(n));
    this.references = grown(this.references, (n) => new Float64Array(n), 3);
  }
}

/**
 * The positions sorted by row id, so that a row id's position is a binary search away
 * (`positionOfRow`) with no map of 80,000 entries. Rows read in time order are mostly in row
 * id order already: then nothing is sorted.
 */
function rowIdOrder(rowIds: Float64Array): Int32Array {
  const n = rowIds.length;
  const order = new Int32Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    if (i > 0 && rowIds[i - 1] >= rowIds[i]) sorted = false;
  }
  if (!sorted) order.sort((a, b) => rowIds[a] - rowIds[b]);
  return order;
}

/** The position of the message with this row id, or ELSEWHERE (not among these). */
export function positionOfRow(shapes: Pick<Shapes, 'rowId' | 'byRowId'>, rowId: number): number {
  const { rowId: rows, byRowId: order } = shapes;
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[order[mid]] < rowId) lo = mid + 1;
    else hi = mid;
  }
  return lo < order.length && rows[order[lo]] === rowId ? order[lo] : ELSEWHERE;
}

/** Strings numbered in the order first seen. */
class Numbered {
  readonly names: string[] = [];
  private readonly numbers = new Map<string, number>();
  of(name: string): number {
    let n = this.numbers.get(name);
    if (n === undefined) this.numbers.set(name, (n = this.names.push(name) - 1));
    return n;
  }
}
