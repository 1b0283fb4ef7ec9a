import { describe, expect, it } from 'vitest';
import { isOutcomeUnknown } from '../../src/core/platform';
import { silentLogger } from '../../src/log';
import { SlackPlatform } from '../../src/platforms/slack/platform';

/** chat.postMessage failing as the Web API client fails: a WebAPIRequestError keeping the cause in `original`. */
function platformFailingWith(original: Error) {
  const client = { chat: { postMessage: async () => Promise.reject(Object.assign(new Error('A request error occurred'), { code: 'slack_webapi_request_error', original })) } };
  const directory = { knownName: () => undefined, user: async () => undefined };
  return new SlackPlatform({ client: client as never, directory: directory as never, repos: {} as never, log: silentLogger, selfId: 'U0BOT' });
}

describe('a Slack post that failed', () => {
  it('timed out (Slack may have posted it): marked so the outbox looks for it before sending again', async () => {
    const platform = platformFailingWith(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }));
    const error = await platform.notifyModerators('slack:T1', { channelId: 'C0MODS', roleIds: [] }, { text: 'ping', idempotencyKey: 'escalation:1:ping' }).catch((e: unknown) => e);
    expect(isOutcomeUnknown(error)).toBe(true);
  });

  it('refused (the connection was refused): not marked, the next attempt is a first send', async () => {
    const platform = platformFailingWith(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const error = await platform.notifyModerators('slack:T1', { channelId: 'C0MODS', roleIds: [] }, { text: 'ping', idempotencyKey: 'escalation:1:ping' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isOutcomeUnknown(error)).toBe(false);
  });
});
