import type { MessagesRepository } from '../../src/core/storage';

type ShapesCall = Parameters<MessagesRepository['shapesInWindow']>;

/**
 * The pulse reads its messages a day at a time: the reads of `calls` (in call order) taken
 * together, as where each starts. A call starting where the call just before ended, of the
 * same kind, goes on with its read (kinds: judged, the messages with their verdicts; plain,
 * newcomers' later posts). Computations whose reads interleave would count as more reads than
 * there are: the tests that use this run one at a time.
 */
export function readStarts(calls: ShapesCall[]): Array<{ since: number; judged: boolean }> {
  const starts: Array<{ since: number; judged: boolean }> = [];
  let previous: { until: number; judged: boolean } | undefined;
  for (const [, since, until, options] of calls) {
    const judged = options?.judgedWith !== undefined;
    if (previous?.until !== since || previous.judged !== judged) starts.push({ since, judged });
    previous = { until, judged };
  }
  return starts;
}
