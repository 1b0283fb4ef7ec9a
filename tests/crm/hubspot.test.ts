/**
 * The HubSpot contact sync through the official @hubspot/api-client against a fake HubSpot on
 * 127.0.0.1 whose every request and answer is checked against HubSpot's CRM v3 descriptions
 * (tests/fakes/spec/hubspot.ts). The clock is a manual one: waits move it, nothing sleeps.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock';
import { IdentityService } from '../../src/core/identity';
import { hubspotClient } from '../../src/crm/hubspot/client';
import { PROPERTIES } from '../../src/crm/hubspot/properties';
import { HubSpotSync, type HubSpotSyncOptions } from '../../src/crm/hubspot/sync';
import { openDatabase } from '../../src/db/connection';
import { createRepositories } from '../../src/db/repositories';
import type { Repositories } from '../../src/core/storage';
import { silentLogger } from '../../src/log';
import { startFakeHubSpot, type FakeHubSpot } from '../fakes/hubspot/server';

const C1 = 'slack:T1';
const C2 = 'discord:G1';

let hubspot: FakeHubSpot;
let repos: Repositories;
let close: () => void;
let clock: ManualClock;
let slept: number[];

beforeEach(async () => {
  hubspot = await startFakeHubSpot();
  const handle = openDatabase(':memory:');
  repos = createRepositories(handle);
  close = () => handle.close();
  clock = new ManualClock();
  slept = [];
  await repos.communities.ensure(C1, 'slack', 'Acme Slack', 0);
  await repos.communities.ensure(C2, 'discord', 'Acme Discord', 0);
});
afterEach(async () => {
  close();
  await hubspot.close();
});

function sync(options: Partial<HubSpotSyncOptions> = {}) {
  return new HubSpotSync({
    repos,
    clock,
    log: silentLogger,
    client: hubspotClient(hubspot.token, hubspot.basePath),
    sleep: async (ms) => {
      slept.push(ms);
      clock.advance(ms);
    },
    ...options,
  });
}

async function member(community: string, id: string, email: string | null, extra: { postedAt?: number } = {}) {
  await repos.members.upsert(community, { id, name: id[0].toUpperCase() + id.slice(1), email }, clock.now() - 1000);
  if (extra.postedAt !== undefined) await repos.members.markPosted(community, id, extra.postedAt);
}

const routes = () => hubspot.requests.map((r) => `${r.method} ${r.path}`);
const contact = (email: string) => hubspot.contacts.get(email);

describe('HubSpot sync', () => {
  it('first run: creates the Hearth group and properties, then upserts members with an email by email', async () => {
    await member(C1, 'ana', 'Ana@Example.org');
    await member(C1, 'ben', 'ben@example.org');
    await member(C1, 'cy', null);
    const report = await sync().run();
    expect(report).toMatchObject({ upserted: 2, created: 2, failed: 0, archived: 0 });
    expect(routes()).toEqual([
      'GET /crm/v3/properties/contacts/groups',
      'POST /crm/v3/properties/contacts/groups',
      'GET /crm/v3/properties/contacts',
      'POST /crm/v3/properties/contacts/batch/create',
      'POST /crm/v3/objects/contacts/batch/upsert',
    ]);
    expect(hubspot.groups.get('hearth')).toMatchObject({ label: 'Hearth' });
    for (const p of PROPERTIES) expect(hubspot.properties.get(p.name)).toMatchObject({ groupName: 'hearth', type: p.type });
    expect(contact('ana@example.org')?.properties).toMatchObject({ hearth_display_name: 'Ana', hearth_helps_given: '0', hearth_communities: C1, hearth_member_ids: `${C1}/ana`, hearth_burnout_risk: 'false' });
    expect(hubspot.contacts.size).toBe(2);

    // Nothing changed: a second run sends nothing (and does not look at the properties again).
    hubspot.requests.length = 0;
    expect(await sync().run()).toMatchObject({ upserted: 0, unchanged: 2 });
    expect(routes()).toEqual([]);
  });

  it('upserts in batches of at most 100, paced under the rate limit', async () => {
    for (let i = 0; i < 250; i++) await member(C1, `m${String(i).padStart(3, '0')}`, `m${i}@example.org`);
    const report = await sync({ requestsPerWindow: 3, windowMs: 10_000 }).run();
    expect(report).toMatchObject({ upserted: 250, created: 250 });
    const upserts = hubspot.requests.filter((r) => r.path.endsWith('/batch/upsert'));
    expect(upserts.map((r) => (r.body as { inputs: unknown[] }).inputs.length)).toEqual([100, 100, 50]);
    // 4 schema requests and 3 upserts at 3 per 10 s: the run waited twice for the window.
    expect(slept).toHaveLength(2);
    expect(slept.every((ms) => ms > 0 && ms <= 10_000)).toBe(true);
  });

  it('a 429 waits for its Retry-After and sends the same batch again', async () => {
    await member(C1, 'ana', 'ana@example.org');
    hubspot.throttle.push({ route: 'POST /crm/v3/objects/contacts/batch/upsert', retryAfter: '7' });
    const report = await sync().run();
    expect(report).toMatchObject({ upserted: 1 });
    expect(slept).toEqual([7000]);
    expect(routes().filter((r) => r.endsWith('/batch/upsert'))).toHaveLength(2);
  });

  it('a long Retry-After stops the run; the next run after it resumes from the cursor', async () => {
    for (let i = 0; i < 150; i++) await member(C1, `m${String(i).padStart(3, '0')}`, `m${String(i).padStart(3, '0')}@example.org`);
    const first = sync();
    await first.run(); // everyone is in HubSpot
    // Everyone changes: each is now also a member of the Discord community (same email).
    for (let i = 0; i < 150; i++) await member(C2, `d${i}`, `m${String(i).padStart(3, '0')}@example.org`);
    hubspot.requests.length = 0;
    // The first batch goes through; the second is throttled for an hour.
    hubspot.throttle.push({ route: 'POST /crm/v3/objects/contacts/batch/upsert', retryAfter: '3600', skip: 1 });
    const upsertsBefore = () => hubspot.requests.filter((r) => r.path.endsWith('/batch/upsert')).length;
    const s = sync({ batchSize: 100 });
    const stopped = await s.run();
    expect(stopped.upserted).toBe(100);
    expect(stopped.stoppedUntil).toBe(clock.now() + 3_600_000);
    expect(await repos.checkpoints.get('hubspot:sync')).toMatchObject({ after: 'm099@example.org', notBefore: clock.now() + 3_600_000 });
    // Before the hour: nothing is sent.
    clock.advance(30 * 60_000);
    expect(await s.run()).toMatchObject({ upserted: 0, stoppedUntil: clock.now() + 30 * 60_000 });
    clock.advance(30 * 60_000);
    const resumed = await s.run();
    expect(resumed).toMatchObject({ upserted: 50 });
    expect(upsertsBefore()).toBe(3);
    const last = hubspot.requests.filter((r) => r.path.endsWith('/batch/upsert')).at(-1)!.body as { inputs: { id: string }[] };
    expect(last.inputs[0].id).toBe('m100@example.org');
    expect(contact('m149@example.org')?.properties.hearth_communities).toBe(`${C2};${C1}`);
    expect(await repos.checkpoints.get('hubspot:sync')).toMatchObject({ after: null, notBefore: null });
  });

  it('a partial batch failure records the others and sends the refused contact again next run', async () => {
    await member(C1, 'ana', 'ana@example.org');
    await member(C1, 'bad', 'bad@example.org');
    await member(C1, 'ben', 'ben@example.org');
    hubspot.refuse.add('bad@example.org');
    expect(await sync().run()).toMatchObject({ upserted: 2, failed: 1 });
    expect([...hubspot.contacts.keys()].sort()).toEqual(['ana@example.org', 'ben@example.org']);
    hubspot.refuse.clear();
    hubspot.requests.length = 0;
    expect(await sync().run()).toMatchObject({ upserted: 1, unchanged: 2 });
    expect((hubspot.requests.at(-1)!.body as { inputs: { id: string }[] }).inputs.map((i) => i.id)).toEqual(['bad@example.org']);
  });

  it('opted-out and forgotten members are never sent; one who opts out later is archived on the next sync', async () => {
    await member(C1, 'ana', 'ana@example.org');
    await member(C1, 'ben', 'ben@example.org');
    await member(C1, 'olga', 'olga@example.org');
    await member(C1, 'fred', 'fred@example.org');
    await repos.members.setAnalyticsOptOut(C1, 'olga', true);
    await repos.members.forget(C1, 'fred', clock.now());
    await sync().run();
    expect([...hubspot.contacts.keys()].sort()).toEqual(['ana@example.org', 'ben@example.org']);
    const sent = JSON.stringify(hubspot.requests.map((r) => r.body));
    expect(sent).not.toMatch(/olga|fred/i);

    const benId = contact('ben@example.org')!.id;
    await repos.members.setAnalyticsOptOut(C1, 'ben', true);
    hubspot.requests.length = 0;
    expect(await sync().run()).toMatchObject({ archived: 1, upserted: 0 });
    expect(hubspot.requests).toEqual([{ method: 'POST', path: '/crm/v3/objects/contacts/batch/archive', body: { inputs: [{ id: benId }] } }]);
    expect(contact('ben@example.org')).toBeUndefined();
    expect((await repos.crmSync.list(C1, 'hubspot')).map((r) => r.memberId)).toEqual(['ana']);
    // Done: the next run has nothing to withdraw.
    hubspot.requests.length = 0;
    expect(await sync().run()).toMatchObject({ archived: 0 });
    expect(routes()).toEqual([]);
  });

  it('a contact that was in HubSpot before is not deleted when its member opts out: Hearth empties its own fields', async () => {
    hubspot.contacts.set('ana@example.org', { id: '77', properties: { email: 'ana@example.org', firstname: 'Ana' }, archived: false, createdAt: new Date(0).toISOString(), updatedAt: new Date(0).toISOString() });
    await member(C1, 'ana', 'ana@example.org');
    expect(await sync().run()).toMatchObject({ upserted: 1, created: 0 });
    expect(contact('ana@example.org')?.properties.hearth_display_name).toBe('Ana');
    await repos.members.setAnalyticsOptOut(C1, 'ana', true);
    expect(await sync().run()).toMatchObject({ archived: 0, cleared: 1 });
    const kept = contact('ana@example.org')!;
    expect(kept.properties.firstname).toBe('Ana');
    expect(Object.entries(kept.properties).filter(([k, v]) => k.startsWith('hearth_') && v !== '')).toEqual([]);
  });

  it('one person with the same email on Slack and Discord is one contact, their figures combined', async () => {
    await member(C1, 'ana', 'ana@example.org', { postedAt: clock.now() - 5000 });
    await member(C2, '12345', 'ANA@example.org', { postedAt: clock.now() - 2000 });
    await member(C1, 'xavi', null);
    await member(C2, 'yann', null);
    await repos.signals.record(C1, { kind: 'helped', actorId: 'ana', subjectId: 'xavi', at: clock.now() - 4000 });
    await repos.signals.record(C2, { kind: 'helped', actorId: '12345', subjectId: 'yann', at: clock.now() - 3000 });
    await sync().run();
    expect(hubspot.contacts.size).toBe(1);
    expect(contact('ana@example.org')?.properties).toMatchObject({
      hearth_helps_given: '2',
      hearth_communities: `${C2};${C1}`,
      hearth_member_ids: `${C2}/12345;${C1}/ana`,
    });
    // The Discord side opts out: the whole person is withheld, so the contact Hearth made goes
    // (it is not re-sent with Slack's Ana alone).
    const anaId = contact('ana@example.org')!.id;
    hubspot.requests.length = 0;
    await repos.members.setAnalyticsOptOut(C2, '12345', true);
    expect(await sync().run()).toMatchObject({ archived: 1, upserted: 0 });
    expect(hubspot.requests).toEqual([{ method: 'POST', path: '/crm/v3/objects/contacts/batch/archive', body: { inputs: [{ id: anaId }] } }]);
    expect(contact('ana@example.org')).toBeUndefined();
    expect(await repos.crmSync.list(C1, 'hubspot')).toEqual([]);
    // And it stays gone.
    hubspot.requests.length = 0;
    expect(await sync().run()).toMatchObject({ archived: 0, upserted: 0 });
    expect(routes()).toEqual([]);
  });

  it('a Discord account linked to a Slack one (no email of its own) is in the same contact, and withholds it when forgotten', async () => {
    await member(C1, 'ana', 'ana@example.org');
    await member(C2, '12345', null);
    await member(C2, 'yann', null);
    await repos.signals.record(C2, { kind: 'helped', actorId: '12345', subjectId: 'yann', at: clock.now() - 3000 });
    const identity = new IdentityService({ repos, clock });
    expect(await identity.link({ communityId: C1, memberId: 'ana' }, { communityId: C2, memberId: '12345' }, 'member')).toBe(true);
    await sync().run();
    expect(hubspot.contacts.size).toBe(1);
    expect(contact('ana@example.org')?.properties).toMatchObject({ hearth_helps_given: '1', hearth_member_ids: `${C2}/12345;${C1}/ana` });
    // Forget-me on the Discord account: the Slack account's contact goes too.
    await identity.pin(C2, '12345');
    await repos.members.forget(C2, '12345', clock.now());
    hubspot.requests.length = 0;
    expect(await sync().run()).toMatchObject({ archived: 1, upserted: 0 });
    expect(hubspot.contacts.size).toBe(0);
    expect(routes()).toEqual(['POST /crm/v3/objects/contacts/batch/archive']);
  });

  it('an account opted out before the first sync keeps its linked accounts out of HubSpot', async () => {
    await member(C1, 'ana', 'ana@example.org');
    await member(C2, '12345', null);
    await new IdentityService({ repos, clock }).link({ communityId: C1, memberId: 'ana' }, { communityId: C2, memberId: '12345' }, 'moderator');
    await repos.members.setAnalyticsOptOut(C2, '12345', true);
    expect(await sync().run()).toMatchObject({ upserted: 0 });
    expect(hubspot.contacts.size).toBe(0);
    expect(JSON.stringify(hubspot.requests.map((r) => r.body))).not.toContain('ana@example.org');
  });

  it('an account moved into a contact that was in HubSpot before: Hearth never deletes that contact', async () => {
    hubspot.contacts.set('aa@example.org', { id: '77', properties: { email: 'aa@example.org', firstname: 'Anna' }, archived: false, createdAt: new Date(0).toISOString(), updatedAt: new Date(0).toISOString() });
    await member(C1, 'ana', 'ana@example.org');
    await member(C2, 'anna', 'aa@example.org');
    expect(await sync().run()).toMatchObject({ upserted: 2, created: 1 });
    await new IdentityService({ repos, clock }).link({ communityId: C1, memberId: 'ana' }, { communityId: C2, memberId: 'anna' }, 'moderator');
    // ana's own contact (Hearth made it) goes; the person is now in the older contact.
    expect(await sync().run()).toMatchObject({ upserted: 1, archived: 1 });
    expect([...hubspot.contacts.keys()]).toEqual(['aa@example.org']);
    await repos.members.setAnalyticsOptOut(C1, 'ana', true);
    expect(await sync().run()).toMatchObject({ archived: 0, cleared: 1 });
    expect(contact('aa@example.org')?.properties.firstname).toBe('Anna');
  });

  it('a person whose contact email changes (a new link) leaves no stale contact behind', async () => {
    await member(C1, 'ana', 'ana@example.org');
    await member(C2, 'anna', 'aa@example.org');
    await sync().run();
    expect([...hubspot.contacts.keys()].sort()).toEqual(['aa@example.org', 'ana@example.org']);
    await new IdentityService({ repos, clock }).link({ communityId: C1, memberId: 'ana' }, { communityId: C2, memberId: 'anna' }, 'moderator');
    expect(await sync().run()).toMatchObject({ upserted: 1, archived: 1 });
    // One person, one contact: under the smallest of their emails.
    expect([...hubspot.contacts.keys()]).toEqual(['aa@example.org']);
    expect(contact('aa@example.org')?.properties.hearth_member_ids).toBe(`${C2}/anna;${C1}/ana`);
    const rows = [...(await repos.crmSync.list(C1, 'hubspot')), ...(await repos.crmSync.list(C2, 'hubspot'))];
    expect(new Set(rows.map((r) => r.externalId))).toEqual(new Set([contact('aa@example.org')!.id]));
    expect(await sync().run()).toMatchObject({ upserted: 0, archived: 0, unchanged: 1 });
    // Hearth made that contact (for anna) before it was updated for the person: still Hearth's to delete.
    await repos.members.setAnalyticsOptOut(C1, 'ana', true);
    expect(await sync().run()).toMatchObject({ archived: 1, cleared: 0 });
    expect(hubspot.contacts.size).toBe(0);
  });
});
