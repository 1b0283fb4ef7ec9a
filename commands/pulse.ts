import { DAY } from '../src/core/clock';
import { computePulse } from '../src/core/metrics';
import { renderPulseCard } from '../src/core/metrics/card';
import { defineCommand } from './define';

/** Longer windows are for the operator CLI (`hearth pulse --db`): a reply must come in seconds. */
const MAX_DAYS = 90;

export default defineCommand({
  name: 'pulse',
  description: 'Community health: responses, welcomes, helpers, people to thank (moderators)',
  options: [{ name: 'days', type: 'integer', description: 'How many days to look back (default 7, at most 90)' }],
  access: 'moderator',
  ephemeral: true,
  async run(core, invocation) {
    const requested = invocation.options.days;
    const days = typeof requested === 'number' && Number.isInteger(requested) ? Math.min(MAX_DAYS, Math.max(1, requested)) : 7;
    const until = core.clock.now() + 1; // the window includes this very moment
    const metrics = await computePulse(core, invocation.community, { since: until - days * DAY, until });
    // A window other than the one asked for is said, never silently substituted.
    const note =
      typeof requested === 'number' && Number.isInteger(requested) && requested !== days
        ? requested > MAX_DAYS
          ? `\`/pulse\` looks back at most ${MAX_DAYS} days: this is the last ${MAX_DAYS}, not ${requested}. For a longer span an operator can run \`hearth pulse --db\` (README, "Community pulse").\n`
          : `\`/pulse\` looks back at least 1 day: this is the last day, not ${requested}.\n`
        : '';
    // Members are shown as <@id> but never listed in mentionUsers: the card pings nobody.
    return { visibility: 'ephemeral', text: note + renderPulseCard(metrics) };
  },
});
