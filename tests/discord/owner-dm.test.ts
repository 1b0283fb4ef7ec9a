import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait';
import { discordCommunity, type DiscordCommunity } from './setup';

let d: DiscordCommunity | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

/** No moderator channel anywhere: the escalation goes to the server owner by DM. */
describe('Discord: escalations sent to the owner by DM', () => {
  it('the owner can claim from the DM, and the requester is told', async () => {
    d = await discordCommunity({ withoutModeratorChannel: true });
    d.fake.slashCommand(d.maya, d.general, 'human', [{ name: 'reason', type: 3, value: 'my invoice is wrong' }]);
    const dm = await waitFor(() => d!.fake.dmChannelWith(d!.owner.id), 'the DM to the owner');
    const ping = await waitFor(() => d!.fake.messagesIn(dm)[0], 'the escalation in the owner DM');
    expect(ping.content).toContain('asked for a human');
    const claim = JSON.stringify(ping.components).match(/"custom_id":"(escalation:claim\|[^"]+)"/)?.[1];
    expect(claim).toBeDefined();
    const press = d.fake.pressDmButton(d.owner, ping, claim!);
    const answer = await waitFor(
      () => d!.fake.interactionCalls(press).find((r) => JSON.stringify(r.body ?? '').includes('claimed request #1')),
      'the answer to the owner',
    );
    expect(JSON.stringify(answer.body)).not.toContain('works inside a server');
    expect(await d.repos.escalations.get(d.community, 1)).toMatchObject({ status: 'claimed', claimedBy: d.owner.id });
    expect(JSON.stringify(answer.body)).toContain("has been told you're on it");
    expect(d.messageBodies().some((r) => JSON.stringify(r.body).includes('picked up your request'))).toBe(true);
    // The DM ping is updated; its remaining Resolve button still works from the DM.
    const edited = await waitFor(() => d!.fake.requestsTo('PATCH', new RegExp(`/messages/${ping.id}$`))[0], 'the DM ping to be edited');
    const resolve = JSON.stringify(edited.body.components).match(/"custom_id":"(escalation:resolve\|[^"]+)"/)?.[1];
    const press2 = d.fake.pressDmButton(d.owner, ping, resolve!);
    await waitFor(() => d!.fake.interactionCalls(press2).find((r) => JSON.stringify(r.body ?? '').includes('is resolved')), 'resolved');
  });

  it('a DM button cannot act on a server the presser is not a moderator of', async () => {
    d = await discordCommunity({ withoutModeratorChannel: true });
    d.fake.slashCommand(d.maya, d.general, 'human', []);
    const dm = await waitFor(() => d!.fake.dmChannelWith(d!.owner.id), 'the DM to the owner');
    const ping = await waitFor(() => d!.fake.messagesIn(dm)[0], 'the escalation in the owner DM');
    const claim = JSON.stringify(ping.components).match(/"custom_id":"(escalation:claim\|[^"]+)"/)?.[1];
    // maya (a plain member) replays the owner's button payload from her own DM.
    const press = d.fake.pressDmButton(d.maya, ping, claim!);
    await waitFor(() => d!.fake.interactionCalls(press)[0], 'an answer');
    expect(JSON.stringify(d.fake.interactionCalls(press).map((r) => r.body))).toMatch(/Only moderators/);
    expect(await d.repos.escalations.get(d.community, 1)).toMatchObject({ status: 'open' });
  });
});
