/**
 * Web API errors as the adapter tells them apart (a module of its own: the platform reads it
 * without loading Bolt's start-up code in app.ts).
 */

/** True for an attempt the client aborted on its timeout (fetch's TimeoutError / AbortError). */
export function isTimeout(error: unknown): boolean {
  // The client wraps fetch failures in a WebAPIRequestError that keeps the cause in `original`.
  const original = (error as { original?: unknown } | undefined)?.original ?? error;
  const name = (original as { name?: string } | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}
