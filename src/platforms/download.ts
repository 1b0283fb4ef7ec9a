/**
 * Downloading a member's audio for a transcription, for every adapter: only from the
 * platform's own file hosts, never more than the community's size limit (the body is read
 * until the limit and then dropped), bounded in time, held in memory only.
 */
export interface DownloadOptions {
  /** Hosts the platform serves files from (a URL elsewhere is refused). */
  allowedHosts: Iterable<string>;
  maxBytes: number;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export async function downloadCapped(url: string, options: DownloadOptions): Promise<Buffer> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`refusing to fetch a ${parsed.protocol} URL`);
  if (![...options.allowedHosts].includes(parsed.host)) throw new Error(`refusing to fetch audio from ${parsed.host}: not a host of this platform`);
  // Credentials travel only to the platform's own host: a redirect elsewhere is not followed.
  const response = await fetch(parsed, { headers: options.headers, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
  if (!response.ok || !response.body) throw new Error(`download failed: HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body.cancel();
    throw new Error(`the file is over the ${options.maxBytes}-byte limit`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.length;
    if (total > options.maxBytes) throw new Error(`the file is over the ${options.maxBytes}-byte limit`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks, total);
}
