/**
 * Turns ajv's errors into one line that names the failing value and the schema path inside the
 * published description (e.g. `#/components/schemas/MessageCreateRequest/properties/content/maxLength`).
 */
import type { ErrorObject } from 'ajv';

/** Where every object of a document lives, as a JSON pointer (ajv reports the schema object with `verbose`). */
export function pointerIndex(doc: unknown): WeakMap<object, string> {
  const index = new WeakMap<object, string>();
  const walk = (node: unknown, pointer: string) => {
    if (!node || typeof node !== 'object' || index.has(node)) return;
    index.set(node, pointer);
    for (const [key, value] of Object.entries(node)) walk(value, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  };
  walk(doc, '#');
  return index;
}

/** Combinators only summarise their branches; a branch that merely says "must be null" is the nullable alternative. */
const SUMMARY = new Set(['anyOf', 'oneOf', 'allOf', 'if', 'not', '$ref']);

/**
 * The most specific errors: union summaries and "must be null" alternatives are dropped when
 * anything else is left, then the deepest value wins (in a union, the branch that got furthest).
 */
export function describeErrors(errors: ErrorObject[], index: WeakMap<object, string>, label = 'value'): string {
  const pointerOf = (e: ErrorObject) => (e.parentSchema && index.get(e.parentSchema)) ?? e.schemaPath.replace(/\/[^/]*$/, '');
  let relevant = errors.filter((e) => !SUMMARY.has(e.keyword));
  // A union branch whose `type` does not match the value's says nothing about the branch that does.
  const rejected = relevant
    .filter((e) => (e.keyword === 'enum' || e.keyword === 'const') && /\/type$/.test(e.instancePath))
    .map((e) => pointerOf(e).replace(/\/properties\/type$/, ''));
  const inMatchingBranch = relevant.filter((e) => !rejected.some((r) => pointerOf(e) === r || pointerOf(e).startsWith(`${r}/`)));
  if (inMatchingBranch.length) relevant = inMatchingBranch;
  const notNull = relevant.filter((e) => !(e.keyword === 'type' && (e.params as { type?: unknown }).type === 'null'));
  if (notNull.length) relevant = notNull;
  if (!relevant.length) relevant = errors;
  const depth = (e: ErrorObject) => (e.instancePath ? e.instancePath.split('/').length : 0);
  const deepest = Math.max(...relevant.map(depth));
  const lines = new Set<string>();
  for (const e of relevant.filter((x) => depth(x) === deepest)) {
    lines.add(`${label}${e.instancePath || ''} ${e.message}${describeParams(e)} (schema ${pointerOf(e)}/${e.keyword})`);
    if (lines.size === 3) break;
  }
  return [...lines].join('; ');
}

function describeParams(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  if (params.allowedValues) return `: ${JSON.stringify(params.allowedValues)}`;
  if ('allowedValue' in params) return `: ${JSON.stringify(params.allowedValue)}`;
  return '';
}
