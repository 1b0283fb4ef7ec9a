/**
 * The weekly digest job runs in every process at the same minute. On a
 * sharded Discord deployment a process can post only in the servers its shard holds
 * (`PlatformPort.servedCommunities`): a process must leave the others' communities alone, or its
 * failed attempt (the server is not in its cache) holds the digest's claim while the shard that
 * could post it looks, and that week's digest is lost.
 */
import { describe, expect, it } from 'vitest';
import { runWeeklyDigest } from '../../src/jobs/digest';
import { busyCommunity } from '../helpers/digest-community';
import { harness } from '../helpers/harness';


describe('two shards running the weekly digest at the same minute', () => {
  it('the digest of a server is posted by the shard that holds it, whatever the other shard does meanwhile', async () => {
    const holder = await busyCommunity(2);
    const other = harness({ database: holder.database, clock: holder.clock });
    Object.assign(holder.platform, { servedCommunities: () => [holder.community] });
    Object.assign(other.platform, { servedCommunities: () => ['test:another-server'] });
    // The other shard cannot post there (as discord.js: the server is not in its cache), and
    // takes its time failing (rendering the digest, a REST round trip).
    let reached!: () => void;
    const atPost = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    other.platform.notifyModerators = async (community) => {
      reached();
      await gate;
      throw new Error(`the bot is not in ${community} (or the guild is unavailable)`);
    };
    const otherRun = runWeeklyDigest(other.companion);
    await Promise.race([atPost, otherRun]);
    const posted = await runWeeklyDigest(holder.companion);
    release();
    await otherRun;
    expect(posted).toBe(1);
    expect(holder.platform.of('notifyModerators')).toHaveLength(1);
  });

});
