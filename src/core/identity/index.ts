/**
 * One person across platforms (issue 24, "Identity"): the accounts of one person in the
 * communities of one installation (its community group: a Discord server and a Slack
 * workspace, say) are one person in the CRM export and the webhook events.
 *
 * Two accounts are the same person when they have the same email (trimmed, any case; Slack
 * gives one with `users:read.email`, Discord never does) or when they were linked explicitly
 * (`hearth identity link`): the relation is transitive. Display names never link anyone: two
 * members called "ana" are two people until an email or a link says otherwise.
 *
 * A person's id is their first-seen account's `community/member` key, so it stays the same
 * when an account seen later joins them. Privacy: a person may leave Hearth only when every
 * one of their accounts may (see `isExportablePerson`); before an account is opted out or
 * forgotten, its email matches are kept as links (`pin`), so forget-me clearing the email
 * never makes the other accounts exportable again, and no link of a withheld person is undone.
 *
 * Members link their own accounts with a single-use code (`/link`, then `/link CODE` on the
 * other account): the code is shown only to the account that asked for it, only its hash is
 * stored, and it links the account that uses it, never one it names.
 */
import { createHash, randomBytes } from 'node:crypto';
import { MINUTE, type Clock } from '../clock';
import { isExportable } from '../health/member-health';
import type { AccountRef, IdentityLinkVia, MemberRow, RepositorySet } from '../storage';

export type Store = Pick<RepositorySet, 'communities' | 'members' | 'identityLinks'>;

/** One person: their accounts (member rows) by key, and the first-seen one's key as their id. */
export interface Person {
  id: string;
  accounts: MemberRow[];
}

/** `community/member`: how accounts are written in records, events and the CLI. */
export const accountKey = (account: { communityId: string; memberId?: string; id?: string }) => `${account.communityId}/${account.memberId ?? account.id}`;

/** `slack:T0123/U0456` -> its parts (the member id is everything after the first `/`); undefined when malformed. */
export function parseAccount(text: string): AccountRef | undefined {
  const at = text.indexOf('/');
  if (at <= 0 || at === text.length - 1) return undefined;
  return { communityId: text.slice(0, at), memberId: text.slice(at + 1) };
}

const normalEmail = (email: string | null) => email?.trim().toLowerCase() || undefined;

/** May anything about this person leave Hearth? Only when every account may. */
export function isExportablePerson(person: Person): boolean {
  return person.accounts.every((m) => isExportable(m));
}

function person(accounts: MemberRow[]): Person {
  const sorted = [...accounts].sort((a, b) => (accountKey(a) < accountKey(b) ? -1 : 1));
  const first = sorted.reduce((a, b) => (b.firstSeenAt < a.firstSeenAt ? b : a));
  return { id: accountKey(first), accounts: sorted };
}

/** Every person with an account in the store (the whole group), by id. */
export async function people(store: Store): Promise<Person[]> {
  const rows = new Map<string, MemberRow>();
  for (const community of await store.communities.list()) for (const m of await store.members.list(community.id)) rows.set(accountKey(m), m);
  const parent = new Map<string, string>();
  const find = (key: string): string => {
    let root = key;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(key, root);
    return root;
  };
  const union = (a: string, b: string) => {
    if (!rows.has(a) || !rows.has(b)) return; // a link to an account never stored joins nobody
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(ra, rb);
  };
  const byEmail = new Map<string, string>();
  for (const [key, m] of rows) {
    const email = normalEmail(m.email);
    if (!email) continue;
    if (byEmail.has(email)) union(key, byEmail.get(email)!);
    else byEmail.set(email, key);
  }
  for (const link of await store.identityLinks.list()) union(accountKey(link), `${link.linkedCommunityId}/${link.linkedMemberId}`);
  const groups = new Map<string, MemberRow[]>();
  for (const [key, m] of rows) {
    const root = find(key);
    groups.set(root, [...(groups.get(root) ?? []), m]);
  }
  return [...groups.values()].map(person).sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** The person an account belongs to (undefined when the account is not stored). */
export async function personOf(store: Store, community: string, memberId: string): Promise<Person | undefined> {
  const found = new Map<string, MemberRow>();
  const queue: AccountRef[] = [{ communityId: community, memberId }];
  while (queue.length) {
    const account = queue.shift()!;
    if (found.has(accountKey(account))) continue;
    const row = await store.members.get(account.communityId, account.memberId);
    if (!row) continue;
    found.set(accountKey(account), row);
    for (const link of await store.identityLinks.forMember(account.communityId, account.memberId)) {
      queue.push({ communityId: link.communityId, memberId: link.memberId }, { communityId: link.linkedCommunityId, memberId: link.linkedMemberId });
    }
    const email = normalEmail(row.email);
    if (email) queue.push(...(await store.identityLinks.accountsWithEmail(email)));
  }
  return found.size ? person([...found.values()]) : undefined;
}

/** How long a `/link` code works: long enough to switch apps, short enough to be useless later. */
export const LINK_CODE_LIFETIME = 10 * MINUTE;
/** 32 letters and digits without 0/O and 1/I, so a code read aloud or retyped is not misread: 40 bits in 8 characters. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;

/** A typed code as stored: upper case, without spaces or dashes; undefined when it cannot be a code. */
export function normalizeLinkCode(text: string): string | undefined {
  const code = text.toUpperCase().replace(/[\s-]/g, '');
  return code.length === CODE_LENGTH && [...code].every((c) => CODE_ALPHABET.includes(c)) ? code : undefined;
}

const hashCode = (code: string) => createHash('sha256').update(code).digest('hex');

/**
 * Guessing is slowed: after this many codes Hearth does not know, within the window, an
 * account's `/link CODE` is refused until the window passes (kept in the process: with several
 * processes each counts its own, which still leaves 40-bit codes out of reach in 10 minutes).
 */
export const LINK_GUESSES = { max: 5, window: 10 * MINUTE };

/** Why `/link CODE` linked nothing. */
export type LinkCodeRefusal =
  /** Not a code Hearth made (or one replaced by a newer code). */
  | 'unknown'
  | 'expired'
  | 'used'
  /** Made in the community it is used in: a code links an account on another platform. */
  | 'same_community'
  /** It names somebody (a mention) instead of being a code: only one's own account is linked. */
  | 'someone_else'
  | 'already_linked'
  /** Too many unknown codes from this account lately (LINK_GUESSES). */
  | 'too_many';

export type LinkCodeResult = { ok: true; other: AccountRef } | { ok: false; reason: LinkCodeRefusal };

/** Links made by people, and the pins that keep a withdrawn person withheld. */
export class IdentityService {
  /** Unknown codes tried lately, by account key (LINK_GUESSES). */
  private readonly guesses = new Map<string, number[]>();

  constructor(private readonly core: { repos: Store & Pick<RepositorySet, 'identityLinks'>; clock: Clock }) {}

  /** Two accounts are one person (a member linking their own, or a moderator or operator). False when both are not stored, or already linked. */
  async link(a: AccountRef, b: AccountRef, via: Exclude<IdentityLinkVia, 'email'>): Promise<boolean> {
    const { repos, clock } = this.core;
    if (accountKey(a) === accountKey(b)) return false;
    if (!(await repos.members.get(a.communityId, a.memberId)) || !(await repos.members.get(b.communityId, b.memberId))) return false;
    return repos.identityLinks.link(a.communityId, a.memberId, b, via, clock.now());
  }

  /**
   * Undo every link of an account; returns how many. While any account of its person has
   * analytics off or was forgotten, the links stay (undefined): they are what keeps the whole
   * person withheld, and undoing one would let the rest leave Hearth again.
   */
  async unlink(account: AccountRef): Promise<number | undefined> {
    const { repos } = this.core;
    const person = await personOf(repos, account.communityId, account.memberId);
    if (!person || !isExportablePerson(person)) return undefined;
    return repos.identityLinks.unlink(account.communityId, account.memberId);
  }

  /**
   * `/link` on one account: a new single-use code (replacing the account's earlier one), to be
   * shown only to that account. Only its hash is stored.
   */
  async startLink(account: AccountRef): Promise<{ code: string; expiresAt: number }> {
    const { repos, clock } = this.core;
    const now = clock.now();
    const code = [...randomBytes(CODE_LENGTH)].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
    const expiresAt = now + LINK_CODE_LIFETIME;
    await repos.identityLinks.addCode(account.communityId, { codeHash: hashCode(code), memberId: account.memberId, createdAt: now, expiresAt });
    return { code: `${code.slice(0, 4)}-${code.slice(4)}`, expiresAt };
  }

  /**
   * `/link CODE` on another account: link the account using the code (never another one) to
   * the account that asked for it, when the code is known, unused, unexpired and from another
   * community of the group. A refused code stays usable, except an expired or used one.
   */
  async confirmLink(account: AccountRef, text: string): Promise<LinkCodeResult> {
    const { repos, clock } = this.core;
    if (/<[@#!]|^\s*@/.test(text)) return { ok: false, reason: 'someone_else' };
    const now = clock.now();
    const key = accountKey(account);
    if (this.guesses.size > 10_000) for (const [k, times] of this.guesses) if (times.at(-1)! <= now - LINK_GUESSES.window) this.guesses.delete(k);
    const recent = (this.guesses.get(key) ?? []).filter((at) => at > now - LINK_GUESSES.window);
    if (recent.length) this.guesses.set(key, recent);
    else this.guesses.delete(key);
    if (recent.length >= LINK_GUESSES.max) return { ok: false, reason: 'too_many' };
    const unknown = (): LinkCodeResult => {
      this.guesses.set(key, [...recent, now]);
      return { ok: false, reason: 'unknown' };
    };
    const code = normalizeLinkCode(text);
    if (!code) return unknown();
    const stored = await repos.identityLinks.getCode(hashCode(code));
    if (!stored) return unknown();
    if (stored.usedAt !== null) return { ok: false, reason: 'used' };
    if (now >= stored.expiresAt) return { ok: false, reason: 'expired' };
    if (stored.communityId === account.communityId) return { ok: false, reason: 'same_community' };
    const used = await repos.identityLinks.useCode(hashCode(code), now);
    if (!used) return { ok: false, reason: 'used' }; // someone used it a moment ago
    const other = { communityId: used.communityId, memberId: used.memberId };
    if (!(await this.link(account, other, 'member'))) return { ok: false, reason: 'already_linked' };
    return { ok: true, other };
  }

  /**
   * Before an account is opted out or forgotten: keep its email matches as links (ids only),
   * so forget-me clearing its email never splits the person and makes the rest exportable.
   */
  async pin(community: string, memberId: string): Promise<void> {
    const { repos, clock } = this.core;
    const email = normalEmail((await repos.members.get(community, memberId))?.email ?? null);
    if (!email) return;
    for (const other of await repos.identityLinks.accountsWithEmail(email)) {
      if (other.communityId === community && other.memberId === memberId) continue;
      await repos.identityLinks.link(community, memberId, other, 'email', clock.now());
    }
  }
}
