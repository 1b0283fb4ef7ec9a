import { describe, expect, it } from 'vitest';
import { harness } from '../helpers/harness';

/** When the moderators could not be reached, no acknowledgement may say they were. */
describe('acknowledgements after a failed moderator ping', () => {
  it('/human: the unreached ack never claims the team has been notified', async () => {
    const t = harness();
    t.platform.failNext.notifyModerators = 1;
    const reply = await t.command('maya', 'human', { reason: 'help please' });
    expect(reply.text).toMatch(/couldn't reach the moderators/);
    expect(reply.text).not.toMatch(/has been notified/);
  });

  it('a high-stakes message: the note does not say the team was notified', async () => {
    const t = harness();
    t.platform.failNext.notifyModerators = 1;
    await t.say('maya', 'my account was hacked');
    const [ack] = t.platform.of('ephemeral');
    expect(ack.message.text).toMatch(/keep trying to reach them/);
    expect(ack.message.text).not.toMatch(/has been notified/);
  });

  it('distress: the note does not say a person was asked when the ping failed', async () => {
    const t = harness();
    t.platform.failNext.notifyModerators = 1;
    await t.say('maya', "I can't go on anymore");
    const [ack] = t.platform.of('ephemeral');
    expect(ack.message.text).not.toMatch(/I've asked a person from the team/);
    expect(ack.message.text).toMatch(/crisis line/);
    expect(ack.message.text).toMatch(/(couldn't|could not) reach/);
  });

  it('a repeat while the team is still unreached says so instead of "the team has been notified"', async () => {
    const t = harness();
    t.platform.failNext.notifyModerators = 2; // the first ping and the merged repeat's refresh
    await t.command('maya', 'human', { reason: 'help please' });
    const again = await t.command('maya', 'human', { reason: 'anyone?' });
    expect(again.text).toMatch(/already have a request open here \(#1\)/);
    expect(again.text).not.toMatch(/has been notified/);
    expect(again.text).toMatch(/(haven't|have not|couldn't|could not) (been able to )?reach/);
  });

  it('a repeat once the team was reached still says it was', async () => {
    const t = harness();
    await t.command('maya', 'human', { reason: 'help please' });
    const again = await t.command('maya', 'human', { reason: 'anyone?' });
    expect(again.text).toMatch(/has been notified/);
  });

  it('the care policy does not say the team "has been notified" of a request nobody made', async () => {
    const t = harness();
    const reply = await t.command('maya', 'care-policy', {});
    expect(reply.text).toMatch(/Expected wait: This community has no history of response times yet/);
    expect(reply.text).not.toMatch(/has been notified/);
  });
});
