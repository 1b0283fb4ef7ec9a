/**
 * What the core reports about its own work (events, commands, tasks, failures), so
 * operations can count it. Implemented with prom-client outside the core (src/ops/).
 */
export interface CompanionObserver {
  event(type: string, outcome: 'ok' | 'duplicate' | 'rejected' | 'error'): void;
  featureError(feature: string): void;
  command(name: string, outcome: 'ok' | 'denied' | 'error'): void;
  task(kind: string, outcome: 'ok' | 'retry' | 'failed'): void;
}

export const noopObserver: CompanionObserver = {
  event: () => {},
  featureError: () => {},
  command: () => {},
  task: () => {},
};
