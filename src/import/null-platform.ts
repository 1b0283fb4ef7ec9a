/**
 * The port used while replaying history: features record what the past means but must
 * never send anything for it (see EventNotes.historical). Any attempt is a bug, so it throws
 * (and the companion logs which feature tried).
 */
import type { PlatformPort } from '../core/platform';

export function historyPlatform(name: string, selfId = 'hearth'): PlatformPort {
  const refuse = async (): Promise<never> => {
    throw new Error('history import never sends messages');
  };
  return {
    name,
    selfId,
    post: refuse,
    reply: refuse,
    edit: refuse,
    dm: refuse,
    ephemeral: refuse,
    react: refuse,
    notifyModerators: refuse,
    permalink: async () => undefined,
  };
}
