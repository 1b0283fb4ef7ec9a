/** The slack adapter entry point (built in its own issue). */
import type { RunningService, StartDeps } from '../../runtime';

export async function start(_deps: StartDeps): Promise<RunningService> {
  throw new Error('the slack adapter is not available in this build yet');
}
