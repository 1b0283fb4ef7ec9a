/**
 * Random communities for tests that compare two ways of computing the same figures (the
 * pulse on SQLite and on PostgreSQL): plain data from a seed (`randomCommunity`), written
 * through the storage port (`writeCommunity`). Deterministic: a seed always gives the same
 * community.
 */
import { DAY, HOUR, MINUTE } from '../../src/core/clock';
import { ACCEPTED_ANSWER_KEY } from '../../src/core/resolution';
import type { EscalationStatus, Repositories, SignalKind } from '../../src/core/storage';


/** mulberry32: a small seeded generator. */
export function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(a: readonly T[]): T => a[Math.floor(next() * a.length)];
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}

interface Member { id: string; name: string; bot: boolean; mod: boolean; optOut: boolean; forgotten: boolean; backOn: boolean; firstSeen: number; joined: number | null }
interface Msg { community: string; id: string; channelId: string; authorId: string; authorIsBot: boolean; kind: 'message' | 'join' | 'system'; text: string | null; threadId: string | null; replyTo: string | null; discussionId: string | null; createdAt: number }
interface Sig { community: string; kind: SignalKind; actorId: string; subjectId: string | null; messageId: string | null; channelId: string | null; at: number; data?: Record<string, unknown>; dedupeKey?: string; conflictRef?: number }
interface Esc { community: string; requesterId: string; channelId: string; messageId: string | null; source: string; createdAt: number; lastRequestAt: number; status: EscalationStatus; stakesClass: string; stakes: 'high' | 'low'; claimedBy: string | null; claimedAt: number | null }
export interface RandomCase { seed: number; now: number; communities: string[]; members: Record<string, Member[]>; messages: Msg[]; signals: Sig[]; escalations: Esc[] }

const TOPICS = [
  ['webhook', 'deploy', 'staging', 'token', 'timeout'],
  ['database', 'migration', 'postgres', 'index', 'schema'],
  ['docker', 'container', 'volume', 'network', 'compose'],
  ['login', 'password', 'account', 'email', 'reset'],
  ['billing', 'invoice', 'payment', 'card', 'refund'],
  ['plugin', 'install', 'version', 'upgrade', 'dependency'],
];

function question(r: ReturnType<typeof rng>, topic: string[]): string {
  const [a, b, c, d] = [r.pick(topic), r.pick(topic), r.pick(topic), r.pick(topic)];
  return r.pick([
    `How do I fix the ${a} ${b} error when I ${c} the ${d}?`,
    `Does anyone know why my ${a} fails after the ${b} ${c} ${d} step?`,
    `Can someone help me, the ${a} keeps crashing with ${b} ${c} ${d}?`,
    `Why does ${a} ${b} break every time I change the ${c} ${d} settings?`,
    `What is the right way to configure ${a} ${b} with ${c} ${d}?`,
  ]);
}
function answer(r: ReturnType<typeof rng>, topic: string[]): string {
  return r.pick([
    `Try restarting the ${r.pick(topic)} and clearing the ${r.pick(topic)} cache.`,
    `You need to set the ${r.pick(topic)} option in the config file, then rerun it.`,
    `I had the same, upgrading the ${r.pick(topic)} package fixed it for me.`,
    `Check the logs for the ${r.pick(topic)} section, it usually says what is wrong.`,
  ]);
}
const WORKED = ['thanks, that worked!', 'That worked, thank you so much', 'it works now, cheers', 'fixed, thanks', 'perfect, got it working now thanks'];
const ALONE = ['nvm, I figured it out', 'never mind, I fixed it myself', 'I found the solution, it was the config'];
const MARKED = ['marking this as solved', '[solved] closing this', 'Closing as resolved, thanks all'];
const RELAPSE = ['it is broken again', 'still failing for me', 'it stopped working again', 'still not working after that'];
const THANKS_ADV = ['thanks in advance!', 'thank you'];
const CHATTER = ['good morning everyone', 'lol', 'nice release today', 'anyone around?', 'hello!', 'I agree with that', 'see you tomorrow', ''];

/**
 * Two communities (sharing message ids) over six weeks, from `seed`: conversations with every
 * shape of reference a store may hold (to the message itself, to its discussion, to another
 * community's message, to none held, empty ids, replies stamped before their message, equal
 * times, rows stored out of time order), the words thread resolution reads, signals in and
 * out of the window and on messages not held, requests, bots, moderators, opted-out and
 * forgotten members. `hostile`: also an empty-string message id and near-miss ids (case,
 * spaces, Unicode form).
 */
export function randomCommunity(seed: number, hostile = false): RandomCase {
  const r = rng(seed * 7919 + 17);
  const now = Date.UTC(2026, 2, 1) + r.int(0, 20) * DAY + (r.chance(0.5) ? 0 : r.int(0, DAY - 1));
  const start = now - 42 * DAY;
  const communities = ['discord:1', 'discord:2'];
  // ids shared between communities: the same message id in both.
  const numericIds = r.chance(0.5);
  let seq = r.int(1, 1000);
  const newId = () => (numericIds && r.chance(0.7) ? String(1000000 + seq++ * r.int(1, 3)) : r.chance(0.1) ? `0${seq++}` : `m${seq++}`);
  const members: Record<string, Member[]> = {};
  const messages: Msg[] = [];
  const signals: Sig[] = [];
  const escalations: Esc[] = [];
  const sharedIds: string[] = [];
  const coarse = r.chance(0.3);
  const time = (t: number) => (coarse ? Math.floor(t / HOUR) * HOUR : Math.round(t));

  for (const [ci, community] of communities.entries()) {
    const n = ci === 0 ? r.int(4, 22) : r.int(3, 8);
    const list: Member[] = [];
    list.push({ id: 'mod', name: 'Mod', bot: false, mod: true, optOut: false, forgotten: false, backOn: false, firstSeen: start - 30 * DAY, joined: null });
    list.push({ id: 'hearthbot', name: 'Bot', bot: true, mod: false, optOut: false, forgotten: false, backOn: false, firstSeen: start - 30 * DAY, joined: null });
    for (let i = 0; i < n; i++) {
      const id = r.chance(0.3) ? String(100 + i) : `u${i}`;
      const forgotten = r.chance(0.08);
      list.push({
        id,
        name: `Name ${id}`,
        bot: r.chance(0.08),
        mod: r.chance(0.12),
        optOut: r.chance(0.1),
        forgotten,
        backOn: forgotten && r.chance(0.5),
        firstSeen: time(start - 10 * DAY + r.next() * 52 * DAY),
        joined: r.chance(0.6) ? time(start - 10 * DAY + r.next() * 52 * DAY) : null,
      });
    }
    members[community] = list;
    const humans = list.filter((m) => !m.bot);
    const anyone = () => (r.chance(0.06) ? list[1] : r.chance(0.1) ? list[0] : r.pick(list));
    const channels = ['general', 'help', 'random'];
    const count = ci === 0 ? r.int(20, 260) : r.int(5, 60);
    const mine: Msg[] = [];
    const at = () => time(start - 3 * DAY + r.next() * 53 * DAY); // some before the lookback, some after now (up to +8d)
    // Conversations: a question with replies.
    while (mine.length < count) {
      const asker = r.chance(0.85) ? r.pick(humans) : anyone();
      const topic = r.pick(TOPICS);
      const qAt = at();
      const channelId = r.pick(channels);
      const reuse = ci === 1 && sharedIds.length && r.chance(0.5);
      let qid = reuse ? r.pick(sharedIds) : newId();
      if (hostile && r.chance(0.15)) qid = '';
      if (mine.some((m) => m.id === qid)) continue;
      if (ci === 0) sharedIds.push(qid);
      const kind = r.chance(0.05) ? 'join' : r.chance(0.03) ? 'system' : 'message';
      const q: Msg = {
        community, id: qid, channelId, authorId: asker.id, authorIsBot: asker.bot ? r.chance(0.8) : r.chance(0.02), kind,
        text: r.chance(0.7) ? question(r, topic) : r.chance(0.5) ? r.pick(CHATTER) : answer(r, topic),
        threadId: r.chance(0.2) ? (r.chance(0.7) ? qid : r.chance(0.5) ? '' : `nope${r.int(1, 9)}`) : null,
        replyTo: r.chance(0.06) ? r.pick([qid, '', `nope${r.int(1, 9)}`]) : null,
        discussionId: r.chance(0.5) ? qid : r.chance(0.15) ? r.pick(['', `nope${r.int(1, 9)}`, qid]) : null,
        createdAt: qAt,
      };
      mine.push(q);
      const replies = r.int(0, 7);
      let last = q;
      for (let k = 0; k < replies && mine.length < count; k++) {
        const fromAsker = r.chance(0.3);
        const author = fromAsker ? asker : r.chance(0.15) ? list[0] : anyone();
        const style = r.next();
        let text: string | null;
        if (fromAsker) text = r.pick([...WORKED, ...WORKED, ...ALONE, ...RELAPSE, ...THANKS_ADV, question(r, topic)]);
        else if (author.mod && r.chance(0.4)) text = r.pick(MARKED);
        else text = r.chance(0.8) ? answer(r, topic) : r.pick([...RELAPSE, ...CHATTER]);
        if (r.chance(0.03)) text = null;
        const rid = newId();
        // reference shapes
        const refTarget = () => {
          const x = r.next();
          if (x < 0.55) return qid;
          if (x < 0.75) return last.id;
          if (x < 0.8) return rid; // itself
          if (x < 0.85) return '';
          if (x < 0.9) return `nope${r.int(1, 9)}`;
          if (x < 0.95 && mine.length) return r.pick(mine).id;
          if (hostile && x < 0.975) { const t = r.pick([qid, last.id]); return r.pick([t.toUpperCase(), `${t} `, ` ${t}`, `${t}\u0301`, t.normalize('NFD')]); }
          return sharedIds.length ? r.pick(sharedIds) : qid; // maybe only in the other community
        };
        const inThread = style < 0.4;
        const threadId = inThread ? (r.chance(0.85) ? qid : refTarget()) : r.chance(0.05) ? refTarget() : null;
        const replyTo = r.chance(0.6) ? refTarget() : null;
        let discussionId: string | null;
        const d = r.next();
        if (d < 0.45) discussionId = q.discussionId ?? qid;
        else if (d < 0.55) discussionId = replyTo;
        else if (d < 0.65) discussionId = null;
        else if (d < 0.75) discussionId = refTarget();
        else if (d < 0.8) discussionId = rid;
        else discussionId = threadId ?? qid;
        const gap = r.chance(0.1) ? -r.int(1, 600) * MINUTE : r.chance(0.1) ? 0 : r.int(1, 3 * 24 * 60) * MINUTE * (r.chance(0.1) ? 5 : 1);
        const reply: Msg = {
          community, id: rid, channelId: r.chance(0.9) ? channelId : r.pick(channels), authorId: author.id,
          authorIsBot: author.bot ? r.chance(0.8) : false, kind: r.chance(0.03) ? 'join' : 'message', text,
          threadId, replyTo, discussionId, createdAt: time(qAt + gap),
        };
        mine.push(reply);
        if (ci === 0) sharedIds.push(rid);
        last = reply;
        // signals on the conversation
        const humanAnswerer = author.id !== asker.id;
        if (r.chance(0.25)) {
          const target = r.chance(0.6) ? rid : r.chance(0.5) ? qid : r.pick([`nope${r.int(1, 9)}`, r.pick(sharedIds), last.id]);
          signals.push({ community, kind: 'thanked', actorId: r.chance(0.85) ? asker.id : author.id, subjectId: r.chance(0.85) ? author.id : r.chance(0.5) ? asker.id : null, messageId: r.chance(0.95) ? target : null, channelId, at: time(reply.createdAt + r.int(-60, 3 * 24 * 60) * MINUTE) });
        }
        if (humanAnswerer && r.chance(0.18)) {
          const byMod = r.chance(0.3);
          const target = r.chance(0.85) ? rid : r.pick([qid, `nope${r.int(1, 9)}`, r.pick(sharedIds)]);
          signals.push({
            community, kind: 'helped', actorId: author.id, subjectId: asker.id, messageId: target, channelId,
            at: time(reply.createdAt + r.int(-30, 4 * 24 * 60) * MINUTE),
            data: byMod ? { via: 'moderator_reaction' } : r.chance(0.5) ? { via: 'reaction' } : undefined,
            dedupeKey: `${ACCEPTED_ANSWER_KEY}${target}:${r.int(1, 1e9)}`,
          });
        }
        if (humanAnswerer && r.chance(0.4)) {
          signals.push({ community, kind: 'helped', actorId: author.id, subjectId: r.chance(0.9) ? asker.id : null, messageId: rid, channelId, at: time(reply.createdAt), dedupeKey: `helped:${rid}:${r.int(1, 1e9)}` });
        }
        if (r.chance(0.04)) signals.push({ community, kind: 'mentorship', actorId: author.id, subjectId: asker.id, messageId: rid, channelId, at: time(reply.createdAt) });
        if (r.chance(0.04)) signals.push({ community, kind: 'returned_to_help', actorId: author.id, subjectId: null, messageId: rid, channelId, at: time(reply.createdAt) });
        if (r.chance(0.03)) signals.push({ community, kind: 'translated_for', actorId: author.id, subjectId: asker.id, messageId: rid, channelId, at: time(reply.createdAt) });
        if (r.chance(0.04)) signals.push({ community, kind: 'reframed_debate', actorId: author.id, subjectId: asker.id, messageId: r.chance(0.8) ? rid : null, channelId, at: time(reply.createdAt) });
        if (r.chance(0.04)) {
          const conflictRef = signals.length;
          signals.push({ community, kind: 'conflict', actorId: author.id, subjectId: asker.id, messageId: rid, channelId, at: time(reply.createdAt) });
          if (r.chance(0.6)) signals.push({ community, kind: 'repair', actorId: r.pick(list).id, subjectId: asker.id, messageId: rid, channelId, at: time(reply.createdAt + r.int(1, 60) * HOUR), conflictRef });
        }
      }
      // The asker coming back with a similar question (reopen check).
      if (r.chance(0.25) && mine.length < count) {
        const rid = newId();
        mine.push({ community, id: rid, channelId, authorId: asker.id, authorIsBot: false, kind: 'message', text: question(r, topic), threadId: null, replyTo: null, discussionId: r.chance(0.5) ? rid : null, createdAt: time(qAt + r.int(1, 10 * 24) * HOUR) });
        if (ci === 0) sharedIds.push(rid);
      }
    }
    // A few messages naming messages of other conversations, stamped anywhere.
    for (let k = 0; k < Math.min(10, mine.length); k++) {
      const m = r.pick(mine);
      if (r.chance(0.5)) m.replyTo = r.pick(mine).id;
      if (r.chance(0.2)) m.threadId = r.pick(mine).id;
      if (r.chance(0.2)) m.discussionId = r.pick(mine).id;
    }
    messages.push(...mine);
    // welcomes
    for (const m of list) {
      if (r.chance(0.5)) signals.push({ community, kind: 'welcome_given', actorId: r.chance(0.7) ? 'mod' : r.pick(list).id, subjectId: m.id, messageId: null, channelId: 'general', at: time(m.firstSeen + r.int(-60, 40 * 60) * MINUTE), dedupeKey: `welcome:${m.id}:${r.int(1, 3)}` });
    }
    // escalations
    const escs = r.int(0, 5);
    for (let k = 0; k < escs; k++) {
      const who = r.pick(list);
      const created = time(start + r.next() * 42 * DAY);
      const status = r.pick(['open', 'claimed', 'resolved'] as const);
      const cls = r.pick(['none', 'outage', 'billing', 'distress']);
      escalations.push({ community, requesterId: who.id, channelId: 'help', messageId: r.chance(0.5) ? r.pick(mine).id : null, source: r.chance(0.2) ? 'incident' : 'command', createdAt: created, lastRequestAt: created, status, stakesClass: cls, stakes: cls === 'none' ? 'low' : 'high', claimedBy: status === 'open' ? null : 'mod', claimedAt: status === 'open' ? null : created + r.int(1, 3000) * MINUTE });
    }
  }
  // Insertion order: mostly by time, shuffled locally, some far out of order (row ids not in time order).
  messages.sort((a, b) => a.createdAt - b.createdAt);
  for (let i = 0; i < messages.length; i++) {
    if (r.chance(0.2)) {
      const j = Math.min(messages.length - 1, Math.max(0, i + r.int(-20, 20)));
      [messages[i], messages[j]] = [messages[j], messages[i]];
    }
  }
  if (r.chance(0.3)) messages.reverse();
  return { seed, now, communities, members, messages, signals, escalations };
}

/** Write a case through the storage port (members, messages, signals, escalations), privacy states last. */
export async function writeCommunity(repos: Repositories, c: RandomCase): Promise<void> {
  for (const community of c.communities) {
    await repos.communities.ensure(community, 'discord', `Community ${community}`, 0);
    for (const m of c.members[community]) {
      await repos.members.upsert(community, { id: m.id, name: m.name, isBot: m.bot, isModerator: m.mod }, m.firstSeen);
      if (m.joined !== null) await repos.members.markJoined(community, m.id, m.joined);
    }
  }
  for (const m of c.messages) {
    await repos.messages.insert(m.community, { id: m.id, channelId: m.channelId, authorId: m.authorId, authorIsBot: m.authorIsBot, kind: m.kind, text: m.text, threadId: m.threadId, replyTo: m.replyTo, discussionId: m.discussionId, createdAt: m.createdAt });
    if (m.kind === 'message') await repos.members.markPosted(m.community, m.authorId, m.createdAt);
  }
  const conflictIds = new Map<number, number>();
  for (const [k, s] of c.signals.entries()) {
    const data = s.conflictRef !== undefined ? { conflictId: conflictIds.get(s.conflictRef) ?? -1 } : s.data;
    await repos.signals.record(s.community, { kind: s.kind, actorId: s.actorId, subjectId: s.subjectId, messageId: s.messageId, channelId: s.channelId, at: s.at, data, dedupeKey: s.dedupeKey });
    if (s.kind === 'conflict') {
      const rows = await repos.signals.list(s.community, { kind: 'conflict' });
      conflictIds.set(k, Math.max(...rows.map((x) => x.id)));
    }
  }
  for (const e of c.escalations) {
    await repos.escalations.create(e.community, { requesterId: e.requesterId, channelId: e.channelId, messageId: e.messageId, source: e.source, createdAt: e.createdAt, lastRequestAt: e.lastRequestAt, status: e.status, stakesClass: e.stakesClass, stakes: e.stakes, claimedBy: e.claimedBy, claimedAt: e.claimedAt, reason: 'help please' });
  }
  // Privacy states last (forget may clear things written above).
  for (const community of c.communities) {
    for (const m of c.members[community]) {
      if (m.optOut) await repos.members.setAnalyticsOptOut(community, m.id, true);
      if (m.forgotten) {
        await repos.members.forget(community, m.id, c.now - 2 * DAY);
        if (m.backOn) await repos.members.setAnalyticsOptOut(community, m.id, false);
      }
    }
  }
}

