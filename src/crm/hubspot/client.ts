import { Client } from '@hubspot/api-client';

/**
 * The official client with a private app's access token. Its own retries are off (they sleep
 * on the wall clock and ignore Retry-After): the sync paces and retries itself (sync.ts).
 */
export function hubspotClient(accessToken: string, basePath?: string): Client {
  return new Client({ accessToken, numberOfApiCallRetries: 0, ...(basePath ? { basePath: basePath.replace(/\/+$/, '') } : {}) });
}
