/**
 * Prefilters derived from regexes, so they cannot drift from the patterns they guard: the
 * literal strings at least one of which every match of a pattern contains ("charged twice" or
 * "refund" for a billing pattern). A text with none of them cannot match, and the pattern need
 * not run. The analysis reads a regex's source (groups, alternatives, quantifiers, classes,
 * escapes, lookarounds) and is conservative: anything it does not understand (a wildcard, a
 * backreference, an optional part) requires nothing, so a pattern it cannot bound gets no
 * prefilter rather than a wrong one.
 */

/** What the analysis knows of a piece of a pattern. */
interface Known {
  /** Every string the piece can match (null: too many, or not known). */
  exact: string[] | null;
  /** Strings at least one of which every match contains (null: nothing is required). */
  required: string[] | null;
}

/** Sets of strings a piece matches are tracked up to this size (products grow fast). */
const MAX_SET = 48;
/** Sets of required strings larger than this are dropped (the prefilter would cost more than it saves). */
const MAX_REQUIRED = 400;

const NOTHING: Known = { exact: null, required: null };
const EMPTY: Known = { exact: [''], required: null };

function literal(chars: string[]): Known {
  return { exact: chars, required: chars.includes('') ? null : chars };
}

const shortestLength = new WeakMap<string[], number>();

function shortest(set: string[]): number {
  let length = shortestLength.get(set);
  if (length === undefined) {
    length = Infinity;
    for (const s of set) length = Math.min(length, s.length);
    shortestLength.set(set, length);
  }
  return length;
}

/** A required set's worth: its shortest string (longer is rarer), then fewer strings. */
function better(a: string[] | null, b: string[] | null): string[] | null {
  if (!a) return b;
  if (!b) return a;
  const [la, lb] = [shortest(a), shortest(b)];
  if (la !== lb) return la > lb ? a : b;
  return a.length <= b.length ? a : b;
}

function usable(set: string[] | null): string[] | null {
  return set && set.length <= MAX_REQUIRED && !set.includes('') ? set : null;
}

function product(a: string[], b: string[]): string[] | null {
  if (a.length * b.length > MAX_SET) return null;
  // Most pieces are one character: no duplicates can arise (the sets hold none).
  if (b.length === 1) return a.map((x) => x + b[0]);
  return [...new Set(a.flatMap((x) => b.map((y) => x + y)))];
}

function concatenation(items: Known[]): Known {
  let exact: string[] | null = [''];
  for (const item of items) exact = exact && item.exact ? product(exact, item.exact) : null;
  let required: string[] | null = usable(exact);
  // (Pieces with known strings are covered by the runs below.)
  for (const item of items) if (!item.exact) required = better(required, item.required);
  // A run of consecutive pieces with known strings is matched contiguously: its strings are
  // required too. Runs are cut where their product would grow too large.
  let run: string[] = [''];
  for (const item of items) {
    const longer = item.exact ? product(run, item.exact) : null;
    if (longer) {
      run = longer;
      continue;
    }
    required = better(required, usable(run));
    run = item.exact ?? [''];
  }
  required = better(required, usable(run));
  return { exact, required };
}

function alternation(alternatives: Known[]): Known {
  const union = (sets: (string[] | null)[]) => (sets.every((s) => s) ? [...new Set(sets.flat() as string[])] : null);
  const exact = union(alternatives.map((a) => a.exact));
  const required = union(alternatives.map((a) => better(a.required, usable(a.exact))));
  return { exact: exact && exact.length <= MAX_SET ? exact : null, required: usable(required) };
}

function repeat(item: Known, min: number, max: number): Known {
  if (min === 1 && max === 1) return item;
  const required = min >= 1 ? better(item.required, usable(item.exact)) : null;
  if (max === 1 && item.exact) return { exact: [...new Set(['', ...item.exact])], required }; // x?
  return { exact: null, required };
}

const SPECIAL = new Set('\\()[]{}|?*+.^$');
const QUANTIFIER = new Set('?*+{');

/** Parses a regex source (the subset JavaScript patterns use) into what it requires. */
class Analysis {
  private i = 0;

  constructor(private readonly source: string) {}

  run(): Known {
    const result = this.alternatives();
    if (this.i !== this.source.length) return NOTHING;
    return result;
  }

  private alternatives(): Known {
    const alternatives = [this.sequence()];
    while (this.source[this.i] === '|') {
      this.i++;
      alternatives.push(this.sequence());
    }
    return alternatives.length === 1 ? alternatives[0]! : alternation(alternatives);
  }

  private sequence(): Known {
    const items: Known[] = [];
    while (this.i < this.source.length && this.source[this.i] !== '|' && this.source[this.i] !== ')') {
      items.push(this.quantified(this.atom()));
    }
    return concatenation(items);
  }

  private quantified(item: Known): Known {
    const s = this.source;
    let min = 1;
    let max = 1;
    const c = s[this.i];
    if (c === '?' || c === '*' || c === '+') {
      this.i++;
      [min, max] = c === '?' ? [0, 1] : c === '*' ? [0, Infinity] : [1, Infinity];
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i));
      if (!m) return item; // a literal brace
      this.i += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity;
    } else {
      return item;
    }
    if (s[this.i] === '?') this.i++; // lazy
    return repeat(item, min, max);
  }

  private atom(): Known {
    const s = this.source;
    const c = s[this.i]!;
    if (c === '(') {
      let zeroWidth = false;
      if (s.startsWith('(?:', this.i)) this.i += 3;
      else if (s.startsWith('(?=', this.i) || s.startsWith('(?!', this.i)) [this.i, zeroWidth] = [this.i + 3, true];
      else if (s.startsWith('(?<=', this.i) || s.startsWith('(?<!', this.i)) [this.i, zeroWidth] = [this.i + 4, true];
      else if (s.startsWith('(?<', this.i)) this.i = s.indexOf('>', this.i) + 1;
      else this.i += 1;
      const inner = this.alternatives();
      if (s[this.i] !== ')') throw new Error('unbalanced group');
      this.i++;
      return zeroWidth ? EMPTY : inner;
    }
    if (c === '[') return this.characterClass();
    if (c === '\\') {
      const next = s[this.i + 1]!;
      this.i += 2;
      if (next === 'b' || next === 'B') return EMPTY;
      if (next === 'p' || next === 'P') {
        if (s[this.i] === '{') this.i = s.indexOf('}', this.i) + 1;
        return NOTHING;
      }
      if (next === 'u' || next === 'x' || next === 'c' || next === 'k' || /[\dDwWsSfnrtv0]/.test(next)) {
        if (next === 'u' && s[this.i] === '{') this.i = s.indexOf('}', this.i) + 1;
        else if (next === 'u') this.i += 4;
        else if (next === 'x') this.i += 2;
        return NOTHING;
      }
      return literal([next]);
    }
    if (c === '^' || c === '$') return this.i++, EMPTY;
    if (c === '.') return this.i++, NOTHING;
    // A run of plain characters is one piece, except a last one a quantifier applies to.
    let end = this.i + 1;
    while (end < s.length && !SPECIAL.has(s[end]!)) end++;
    if (end > this.i + 1 && QUANTIFIER.has(s[end]!)) end--;
    const run = s.slice(this.i, end);
    this.i = end;
    return literal([run]);
  }

  /** A class of a few plain characters ([sz], [- ]) is known; any other ([^>], [a-z], \w inside) is not. */
  private characterClass(): Known {
    const s = this.source;
    let end = this.i + 1;
    if (s[end] === ']') end++;
    while (end < s.length && s[end] !== ']') end += s[end] === '\\' ? 2 : 1;
    const body = s.slice(this.i + 1, end);
    this.i = end + 1;
    const plain = body.length > 0 && !body.startsWith('^') && !body.includes('\\') && !/.-./.test(body);
    return plain && body.length <= 4 ? literal([...new Set(body)]) : NOTHING;
  }
}

/** The strings at least one of which every match of `pattern` contains (null: none known). */
export function requiredLiterals(pattern: RegExp): string[] | null {
  // Several prefilters read the same pattern (a class's, all classes', the pattern's own): analyse it once.
  const known = analysed.get(pattern);
  if (known !== undefined) return known;
  let required: string[] | null;
  try {
    required = new Analysis(pattern.source).run().required;
  } catch {
    required = null;
  }
  analysed.set(pattern, required);
  return required;
}

const analysed = new WeakMap<RegExp, string[] | null>();

/**
 * prefilterFor, derived on first use: the analysis costs tens of milliseconds, which a
 * process that never reads a message (most CLI commands) need not pay at start-up.
 */
export function lazyPrefilter(patterns: readonly RegExp[], options: PrefilterOptions = {}): () => RegExp | undefined {
  let derived: { prefilter: RegExp | undefined } | null = null;
  return () => (derived ??= { prefilter: prefilterFor(patterns, options) }).prefilter;
}

export interface PrefilterOptions {
  /**
   * The prefilter only ever reads lower-cased text (`toLowerCase`d, as every normaliser here
   * returns). Then a case-insensitive prefilter without the u flag whose strings are plain
   * ASCII without capitals reads it exactly as a case-sensitive one does (without u, a letter
   * outside ASCII never matches one inside it, and a lower-case ASCII letter only itself), and
   * drops the i flag: a literal search is about twice as fast without it.
   */
  lowerCaseText?: boolean;
}

/** ASCII with no capital letter. */
const LOWER_ASCII = /^[\x00-\x40\x5b-\x7f]*$/;

/**
 * A prefilter for a list of patterns: it matches every text any of them matches (and more).
 * Undefined when some pattern requires nothing the analysis can name.
 */
export function prefilterFor(patterns: readonly RegExp[], options: PrefilterOptions = {}): RegExp | undefined {
  const all: string[] = [];
  for (const pattern of patterns) {
    const required = requiredLiterals(pattern);
    if (!required) return undefined;
    all.push(...required);
  }
  // A string containing another is redundant: the shorter one already lets it through.
  const kept: string[] = [];
  for (const s of [...new Set(all)].sort((a, b) => a.length - b.length)) if (!kept.some((t) => s.includes(t))) kept.push(s);
  // Case folding differs with and without the u flag: the prefilter reads text as the patterns do.
  let flags = patterns[0]?.flags.replace(/[^iu]/g, '') ?? '';
  if (patterns.some((p) => p.flags.replace(/[^iu]/g, '') !== flags)) return undefined;
  if (options.lowerCaseText && flags === 'i' && kept.every((s) => LOWER_ASCII.test(s))) flags = '';
  return new RegExp(kept.map((s) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')).join('|'), flags);
}
