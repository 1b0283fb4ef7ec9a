import { DAY } from '../src/core/clock';
import { computePulse } from '../src/core/metrics';
import { renderPulseCard } from '../src/core/metrics/card';
import { defineCommand } from './define';

export default defineCommand({
  name: 'pulse',
  description: 'Community health: responses, welcomes, helpers, people to thank (moderators)',
  options: [{ name: 'days', type: 'integer', description: 'How many days to look back (default 7, at most 90)' }],
  access: 'moderator',
  ephemeral: true,
  async run(core, invocation) {
    const requested = invocation.options.days;
    const days = typeof requested === 'number' && Number.isInteger(requested) ? Math.min(90, Math.max(1, requested)) : 7;
    const until = core.clock.now() + 1; // the window includes this very moment
    const metrics = await computePulse(core, invocation.community, { since: until - days * DAY, until });
    // Members are shown as <@id> but never listed in mentionUsers: the card pings nobody.
    return { visibility: 'ephemeral', text: renderPulseCard(metrics) };
  },
});
