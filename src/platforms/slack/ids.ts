/**
 * Hearth's id of a Slack message: its channel and its `ts` ("C123/1700000000.000100").
 *
 * Slack names a message by `ts`, which is unique within one channel only (Slack's docs:
 * "the unique (per-channel) timestamp"); the core keys messages by id within a community.
 * A bare `ts` would let two channels' messages collide: the second one dropped as already
 * stored, and an edit or delete in one channel applied to the other's message. Every Slack
 * path (events, posts, history import, backfill) builds ids here, so the same message gets
 * the same id however it arrives.
 */
export function slackMessageId(channel: string, ts: string): string {
  return `${channel}/${ts}`;
}

/** The `ts` to give Slack's API for a Hearth message id (an id stored before 0010 is a bare ts). */
export function slackTs(messageId: string): string {
  return messageId.slice(messageId.lastIndexOf('/') + 1);
}
