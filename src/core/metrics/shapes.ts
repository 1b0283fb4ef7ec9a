/**
 * The human messages a pulse reads (the window, and back to four weeks before its end, which
 * thread resolution looks over), held as columns rather than an object per message. At 1M
 * messages a year that is about 80,000 messages: as objects, with a string for every id,
 * author, channel and reference, they took most of the 57 MB a computation held at its peak;
 * as columns, with authors and channels numbered and references turned into positions, about
 * 8 MB. They are read a day at a time, so the rows the store returns never pile up
 * either.
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
  readonly id: string[];
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

/**
 * The first of the positions [lo, length) whose time (`timeAt`) is at or after `at`, for
 * times in order (binary search): over the columns here, and over the pulse's signals.
 */
export function firstAtOrAfter(length: number, timeAt: (i: number) => number, at: number, lo = 0): number {
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (timeAt(mid) < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first message at or after `at`. */
export function firstAtOrAfterTime(shapes: Pick<Shapes, 'createdAt' | 'length'>, at: number): number {
  return firstAtOrAfter(shapes.length, (i) => shapes.createdAt[i], at);
}

/** A message that starts a conversation: not a reply, and not inside someone else's thread. */
export function startsConversation(shapes: Pick<Shapes, 'replyTo' | 'threadId'>, i: number): boolean {
  return shapes.replyTo[i] === NONE && (shapes.threadId[i] === NONE || shapes.threadId[i] === i);
}

/** Shapes appended in order, then frozen into columns (`done`). */
class ShapeColumns {
  private length = 0;
  private id: string[] = [];
  private createdAt = new Float64Array(1024);
  private flags = new Uint8Array(1024);
  private author = new Int32Array(1024);
  private channel = new Int32Array(1024);
  private references = new Int32Array(3 * 1024);
  private readonly positions = new Map<string, number>();
  private readonly authors = new Numbered();
  private readonly channels = new Numbered();
  /** References to an id not read yet (a reply stamped before its parent): settled in `done`. */
  private readonly ahead: Array<{ at: number; id: string }> = [];

  add(shape: MessageShape, flags: number): void {
    const i = this.length++;
    if (i === this.createdAt.length) this.grow();
    this.id.push(shape.id);
    this.positions.set(shape.id, i);
    this.createdAt[i] = shape.createdAt;
    this.flags[i] = flags;
    this.author[i] = this.authors.of(shape.authorId);
    this.channel[i] = this.channels.of(shape.channelId);
    this.refer(3 * i, shape.replyTo);
    this.refer(3 * i + 1, shape.threadId);
    // An empty discussion id is still one (the thread rule reads `discussionId ?? …`): of no
    // message read, where an empty reply or thread id is none.
    if (shape.discussionId === '') this.references[3 * i + 2] = ELSEWHERE;
    else this.refer(3 * i + 2, shape.discussionId);
  }

  done(): Shapes {
    for (const { at, id } of this.ahead) this.references[at] = this.positions.get(id) ?? ELSEWHERE;
    const n = this.length;
    const column = (k: number) => {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = this.references[3 * i + k];
      return out;
    };
    return {
      length: n,
      id: this.id,
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

  private refer(at: number, id: string | null): void {
    if (!id) {
      this.references[at] = NONE;
      return;
    }
    const position = this.positions.get(id);
    if (position !== undefined) this.references[at] = position;
    else this.ahead.push({ at, id });
  }

  private grow(): void {
    const size = this.createdAt.length * 2;
    const grown = <A extends Float64Array | Int32Array | Uint8Array>(a: A, make: (n: number) => A, by = 1): A => {
      const b = make(size * by);
      b.set(a);
      return b;
    };
    this.createdAt = grown(this.createdAt, (n) => new Float64Array(n));
    this.flags = grown(this.flags, (n) => new Uint8Array(n));
    this.author = grown(this.author, (n) => new Int32Array(n));
    this.channel = grown(this.channel, (n) => new Int32Array(n));
    this.references = grown(this.references, (n) => new Int32Array(n), 3);
  }
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
