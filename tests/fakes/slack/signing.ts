/** Slack request signing (v0), for driving Bolt's HTTP receiver like Slack does. */
import { createHmac } from 'node:crypto';

export function slackSignature(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export interface SignedPostOptions {
  secret: string;
  /** Seconds since the epoch (default: now); an old one is rejected by Bolt. */
  timestamp?: number;
  /** Override the computed signature (to test rejection). */
  signature?: string;
}

/**
 * POST a body to the app as Slack would. Slash commands and interactivity are exactly
 * `application/x-www-form-urlencoded` (a `; charset` suffix makes Bolt answer 400).
 */
export async function signedPost(url: string, body: string, contentType: 'application/json' | 'application/x-www-form-urlencoded', options: SignedPostOptions) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? slackSignature(options.secret, timestamp, body),
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}
