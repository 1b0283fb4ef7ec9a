/**
 * Dashboard access: single-use sign-in links from `/dashboard`, sessions for one moderator
 * in one community, and the check every page makes. Secrets are random and only their
 * SHA-256 is stored, so a copy of the database opens nothing. Platform-neutral: the web
 * server (src/dashboard) and the `/dashboard` command both come here.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { HOUR, MINUTE, type Clock } from '../clock';
import type { DashboardSessionRow, MemberRow, Repositories } from '../storage';

/** How long a sign-in link opens: long enough to click it, short enough to be useless later. */
export const LINK_LIFETIME = 5 * MINUTE;
/** A session lasts a working day; the moderator role is checked again on every request. */
export const SESSION_LIFETIME = 12 * HOUR;

type Deps = { repos: Pick<Repositories, 'dashboardAccess' | 'members'>; clock: Clock };

const secret = () => randomBytes(32).toString('base64url');
export const hashSecret = (value: string) => createHash('sha256').update(value).digest('hex');
/** Secrets are 43 base64url characters; anything else is refused before any lookup. */
const wellFormed = (value: string | undefined): value is string => typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);

/** May this member use the dashboard of this community now? */
export function isDashboardModerator(member: MemberRow | undefined): member is MemberRow {
  return Boolean(member && member.isModerator && !member.isBot && member.forgottenAt === null);
}

/** A new sign-in link's token for a moderator (shown once, in the reply only they see). */
export async function createSignInToken({ repos, clock }: Deps, community: string, memberId: string): Promise<{ token: string; expiresAt: number }> {
  const now = clock.now();
  await repos.dashboardAccess.purgeExpired(community, now);
  const token = secret();
  const expiresAt = now + LINK_LIFETIME;
  await repos.dashboardAccess.addLink(community, { tokenHash: hashSecret(token), memberId, createdAt: now, expiresAt });
  return { token, expiresAt };
}

export type LinkRefusal = 'unknown' | 'used' | 'expired' | 'not_moderator';

/** Would this link open now, and into which community? (Without using it: the page that asks to continue.) */
export async function checkSignInToken({ repos, clock }: Deps, token: string | undefined): Promise<{ ok: true; communityId: string } | { ok: false; reason: LinkRefusal }> {
  if (!wellFormed(token)) return { ok: false, reason: 'unknown' };
  const link = await repos.dashboardAccess.getLink(hashSecret(token));
  if (!link) return { ok: false, reason: 'unknown' };
  if (link.usedAt !== null) return { ok: false, reason: 'used' };
  if (clock.now() >= link.expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, communityId: link.communityId };
}

/** Use a link: a new session (its cookie value) for its moderator and community, or why not. */
export async function openSignInLink(
  deps: Deps,
  token: string | undefined,
): Promise<{ ok: true; sessionToken: string; session: DashboardSessionRow } | { ok: false; reason: LinkRefusal }> {
  const { repos, clock } = deps;
  const checked = await checkSignInToken(deps, token);
  if (!checked.ok) return checked;
  const now = clock.now();
  const link = await repos.dashboardAccess.useLink(hashSecret(token!), now);
  if (!link) return { ok: false, reason: 'used' }; // someone else used it a moment ago
  if (!isDashboardModerator(await repos.members.get(link.communityId, link.memberId))) return { ok: false, reason: 'not_moderator' };
  const sessionToken = secret();
  const session: DashboardSessionRow = { idHash: hashSecret(sessionToken), communityId: link.communityId, memberId: link.memberId, createdAt: now, expiresAt: now + SESSION_LIFETIME };
  await repos.dashboardAccess.addSession(link.communityId, session);
  return { ok: true, sessionToken, session };
}

export type SessionRefusal = 'none' | 'not_moderator';

/**
 * The session behind a cookie, with its moderator, or why there is none. A moderator who
 * lost the role (or was forgotten) has their session ended here, on the next request.
 * `stillModerator`, when given, asks the platform itself; otherwise the stored role decides.
 */
export async function currentSession(
  { repos, clock }: Deps,
  sessionToken: string | undefined,
  stillModerator?: (community: string, memberId: string) => Promise<boolean | undefined>,
): Promise<{ ok: true; session: DashboardSessionRow; member: MemberRow } | { ok: false; reason: SessionRefusal }> {
  if (!wellFormed(sessionToken)) return { ok: false, reason: 'none' };
  const session = await repos.dashboardAccess.getSession(hashSecret(sessionToken), clock.now());
  if (!session) return { ok: false, reason: 'none' };
  const member = await repos.members.get(session.communityId, session.memberId);
  const live = stillModerator ? await stillModerator(session.communityId, session.memberId) : undefined;
  if (!isDashboardModerator(member) || live === false) {
    await repos.dashboardAccess.endSession(session.idHash);
    return { ok: false, reason: 'not_moderator' };
  }
  return { ok: true, session, member };
}

/**
 * The CSRF token of a session: derived from the cookie's secret (which the database never
 * holds), so only the holder of the session's cookie has it. Every form posts it back.
 */
export function csrfTokenFor(sessionToken: string): string {
  return hashSecret(`csrf:${sessionToken}`);
}

export function csrfMatches(sessionToken: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** `/dashboard sign-out-everywhere`: every session of the community ends, unused links too. */
export async function signOutEverywhere({ repos }: Pick<Deps, 'repos'>, community: string): Promise<number> {
  return repos.dashboardAccess.endAll(community);
}
