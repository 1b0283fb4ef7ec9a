/**
 * `hearth related-eval --corpus CORPUS.jsonl --queries QUERIES.jsonl`: rank related past
 * discussions for each query with exactly the live code path. The corpus is replayed as
 * historical message events into a throwaway in-memory database (ingest, FTS index, the
 * related feature), then each query goes through `features.related.find`.
 *
 * Corpus line: {"id","channel","author","text","at","title"?,"threadId"?,"replyTo"?,"authorIsBot"?}
 * Query line:  {"id","text","title"?,"author"?,"channel"?,"candidates"?}
 * Output line: {"query": ID, "results": [{"id": ID, "score": NUMBER, "surface": BOOLEAN}, ...]}, best first.
 * With `candidates`, exactly those discussions are ranked (each once); without, the top 10.
 * Bad lines are reported on stderr with their line number and skipped.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DAY, ManualClock } from '../../core/clock';
import { Companion } from '../../core/companion';
import { openStore } from '../../db/store';
import { silentLogger } from '../../log';
import { readJsonLines, unreadableInput, type CliIo } from '../io';
import { historyPlatform } from '../../import/null-platform';

export const description = 'Rank related past discussions for queries (JSON lines in, JSON lines out) with the live ranker';

const COMMUNITY = 'eval:related';
const id = z.union([z.string().min(1).max(200), z.number().transform(String)]);
const at = z.union([z.number().finite().nonnegative(), z.string().transform((s, ctx) => {
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: `"${s}" is not a date` });
    return z.NEVER;
  }
  return ms;
})]);

const corpusLine = z.object({
  id,
  channel: id,
  author: id,
  text: z.string(),
  at,
  title: z.string().nullish(),
  threadId: id.nullish(),
  replyTo: id.nullish(),
  authorIsBot: z.boolean().optional(),
});
const queryLine = z.object({
  id,
  text: z.string(),
  title: z.string().nullish(),
  author: id.optional(),
  channel: id.optional(),
  candidates: z.array(id).optional(),
});


const describeIssues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; ');

export async function run(args: string[], io: CliIo): Promise<number> {
  let values: { corpus?: string; queries?: string; store?: string };
  try {
    ({ values } = parseArgs({ args, options: { corpus: { type: 'string' }, queries: { type: 'string' }, store: { type: 'string' } }, strict: true }));
  } catch (error) {
    io.err(`related-eval: ${(error as Error).message}\nusage: npm run -s hearth -- related-eval --corpus CORPUS.jsonl --queries QUERIES.jsonl [--store postgres://…]`);
    return 2;
  }
  if (!values.corpus || !values.queries) {
    io.err('Usage: hearth related-eval --corpus CORPUS.jsonl --queries QUERIES.jsonl');
    return 2;
  }
  for (const [flag, path] of [['corpus', values.corpus], ['queries', values.queries]] as const) {
    const problem = unreadableInput(path);
    if (problem) {
      io.err(`related-eval: cannot read --${flag} ${path}: ${problem}`);
      return 1;
    }
  }

  // A throwaway in-memory SQLite store unless --store names an (empty) PostgreSQL database.
  const database = await openStore(values.store ?? ':memory:');
  try {
    const clock = new ManualClock(0);
    const companion = new Companion({ repos: database.repos, platform: historyPlatform('eval', 'hearth-eval-companion'), clock, log: silentLogger });
    let bad = 0;
    let latest = 0;
    for await (const line of readJsonLines(values.corpus, io.stdin)) {
      const parsed = line.error ? undefined : corpusLine.safeParse(line.value);
      if (!parsed?.success) {
        bad++;
        io.err(`related-eval: corpus ${line.error ?? `line ${line.line}: ${describeIssues(parsed!.error)}`}`);
        continue;
      }
      const m = parsed.data;
      latest = Math.max(latest, m.at);
      const result = await companion.handle(
        {
          type: 'message_posted',
          community: COMMUNITY,
          at: m.at,
          message: {
            id: m.id,
            channel: { id: m.channel, name: m.channel, visibility: 'public' },
            author: { id: m.author, name: m.author, isBot: m.authorIsBot ?? false },
            text: m.text,
            title: m.title ?? null,
            threadId: m.threadId ?? null,
            replyTo: m.replyTo ?? null,
            at: m.at,
          },
        },
        { historical: true },
      );
      if (!result.ok) {
        bad++;
        io.err(`related-eval: corpus line ${line.line}: ${result.error}`);
      }
    }
    // "Now" is just after the newest message, so ages in the corpus are meaningful.
    clock.set(latest + DAY);

    const related = companion.core.features.related;
    for await (const line of readJsonLines(values.queries, io.stdin)) {
      const parsed = line.error ? undefined : queryLine.safeParse(line.value);
      if (!parsed?.success) {
        bad++;
        io.err(`related-eval: queries ${line.error ?? `line ${line.line}: ${describeIssues(parsed!.error)}`}`);
        continue;
      }
      const q = parsed.data;
      const candidates = q.candidates ? [...new Set(q.candidates)] : undefined;
      const ranked = await related.find({
        community: COMMUNITY,
        askerId: q.author ?? `related-eval:${q.id}`,
        text: q.text,
        title: q.title,
        excludeDiscussionIds: candidates ? undefined : [q.id],
        onlyDiscussionIds: candidates,
        limit: candidates?.length ?? 10,
      });
      const results = ranked.map((r) => ({ id: r.discussion.id, score: round(r.score), surface: r.surface }));
      // Candidates with nothing indexed (unknown id, only bot messages) still get a place, last.
      if (candidates) {
        const ranked = new Set(results.map((r) => r.id));
        for (const c of candidates) if (!ranked.has(c)) results.push({ id: c, score: 0, surface: false });
      }
      io.out(JSON.stringify({ query: q.id, results }));
    }
    if (bad) io.err(`related-eval: ${bad} bad line(s) skipped`);
    return bad ? 1 : 0;
  } finally {
    await database.close();
  }
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
