/**
 * Both platforms give an interaction 3 seconds to be acknowledged. Each adapter waits for the
 * core to have the interaction (a request for a human stored, a claim recorded) before it
 * acknowledges, up to a deadline inside those 3 seconds: a process killed before then leaves
 * the interaction unacknowledged, and the platform tells the member it failed, where an early
 * acknowledgement would have lost the request without a word (an acknowledged interaction is
 * never sent again).
 */
export const ACKNOWLEDGE_WITHIN_MS = 2000;

/** Resolve with the value if it settles within `ms`, else with `undefined` (timer cleared). */
export async function within<T>(work: Promise<T>, ms: number): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
