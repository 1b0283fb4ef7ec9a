/**
 * The member health record per person: one record for the accounts of one person across
 * the group's communities (src/core/identity), read by the export, the webhook sink and the
 * dashboard alike. A person with one account has exactly that account's record.
 *
 * Privacy: a person is left out entirely when any of their accounts has analytics off or
 * was forgotten (or is a bot): no record, no figure, no id.
 */
import type { CoreContext } from '../context';
import { accountKey, isExportablePerson, people, type Person } from '../identity';
import { memberHealth, type MemberHealth } from './member-health';

export interface PersonHealth {
  person: Person;
  /** The combined record (see `combineHealth`). */
  record: MemberHealth;
  /** Each account's own record, by account key. */
  parts: MemberHealth[];
}

export interface PeopleHealthOptions {
  /** The time the records describe. */
  now: number;
  /** Only people active (combined `lastActiveAt`) at or after this time. */
  since?: number;
  /** Only people with an account in this community (their record still covers every account). */
  community?: string;
}

/** Counts: a person's is the sum of their accounts'. */
const SUMMED = [
  'welcomesGiven',
  'helpsGiven',
  'helpsReceived',
  'thanksGiven',
  'thanksReceived',
  'sameHeresGiven',
  'sameHeresReceived',
  'humanRequests',
  'humanRequestsOpen',
  'recentHelps',
] as const satisfies ReadonlyArray<keyof MemberHealth>;
/** Yes/no: yes when any account's is, unknown when every account's is. */
const ANY = ['welcomed', 'newcomerReturned', 'burnoutRisk', 'wentQuiet'] as const satisfies ReadonlyArray<keyof MemberHealth>;

/**
 * One person's record from their accounts' records: counts summed; yes/no fields yes when any
 * account's is; first join and first appearance the earliest, burnout reasons all of them; the
 * email the first one known; every other field (ids, display name, durations, shares, who
 * welcomed them) the most recently active account's, as it stands in its own community.
 */
export function combineHealth(personId: string, records: MemberHealth[]): MemberHealth {
  const sorted = [...records].sort((a, b) => (a.lastActiveAt < b.lastActiveAt ? 1 : a.lastActiveAt > b.lastActiveAt ? -1 : a.communityId < b.communityId ? -1 : 1));
  const combined: MemberHealth = { ...sorted[0] };
  for (const field of SUMMED) combined[field] = sorted.reduce((sum, r) => sum + r[field], 0);
  for (const field of ANY) {
    const values = sorted.map((r) => r[field]);
    (combined as unknown as Record<string, unknown>)[field] = values.some((v) => v === true) ? true : values.every((v) => v === null) ? null : false;
  }
  combined.joinedAt = earliest(sorted.map((r) => r.joinedAt));
  combined.firstSeenAt = earliest(sorted.map((r) => r.firstSeenAt))!;
  combined.email = sorted.find((r) => r.email)?.email ?? null;
  combined.burnoutReasons = [...new Set(sorted.flatMap((r) => r.burnoutReasons))].sort();
  combined.personId = personId;
  combined.accounts = sorted.flatMap((r) => r.accounts).sort();
  return combined;
}

const earliest = (values: Array<string | null>) => (values.filter(Boolean) as string[]).sort()[0] ?? null;

/** Every exportable person's record (of one community's people with `community`), by person id. */
export async function peopleHealth(core: Pick<CoreContext, 'repos' | 'settings'>, options: PeopleHealthOptions): Promise<PersonHealth[]> {
  const wanted = (await people(core.repos)).filter((p) => isExportablePerson(p) && (options.community === undefined || p.accounts.some((a) => a.communityId === options.community)));
  const records = new Map<string, MemberHealth>();
  // One community's aggregates at a time; only communities where the wanted people are.
  for (const community of [...new Set(wanted.flatMap((p) => p.accounts.map((a) => a.communityId)))].sort()) {
    for (const record of await memberHealth(core, community, { now: options.now })) records.set(accountKey(record), record);
  }
  const result: PersonHealth[] = [];
  for (const person of wanted) {
    const parts = person.accounts.map((a) => records.get(accountKey(a))).filter((r): r is MemberHealth => r !== undefined);
    if (parts.length !== person.accounts.length) continue; // not exportable after all: fail closed
    const record = combineHealth(person.id, parts);
    if (options.since !== undefined && Date.parse(record.lastActiveAt) < options.since) continue;
    result.push({ person, record, parts });
  }
  return result;
}
