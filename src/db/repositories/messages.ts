import { and, asc, desc, eq, gt, gte, isNotNull, lt, lte, or, sql, type Column } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { DatabaseHandle } from '../connection';
import type { BatchScope } from './batch-cache';
import { members, messages } from '../schema';
import { isSearchable, messageRow, pick, quietAuthorsStatement, shapeColumns, WINDOW_COLUMNS, humanMessageIn, humanPostedBetween } from '../rules';
import type { AuthorCount, MessageRow, MessageShape, MessagesRepository, NewMessage, WindowMessage } from '../../core/storage';

export type { MessageRow, NewMessage, WindowMessage };

export { isSearchable };

const humanMessage = (community: string) => humanMessageIn(messages, community);

export function messagesRepo(handle: DatabaseHandle, batch: BatchScope): MessagesRepository {
  const { db, sqlite } = handle;
  // During an import batch, rows read or written are remembered (see batch-cache.ts).
  const cached = batch.cache<MessageRow>(5_000);
  const cacheKey = (community: string, id: string) => `${community}\u0000${id}`;
  const byId = (community: string, id: string) => and(eq(messages.communityId, community), eq(messages.id, id));
  const getOne = db
    .select()
    .from(messages)
    .where(and(eq(messages.communityId, sql.placeholder('community')), eq(messages.id, sql.placeholder('id'))))
    .prepare();
  const p = sql.placeholder;
  // The pulse's read (every dashboard view): through messages_time_idx, prepared once.
  const shapesOf = (judged: boolean) =>
    db
      .select(shapeColumns(messages, judged ? p('tag') : undefined))
      .from(messages)
      .where(and(eq(messages.communityId, p('community')), gte(messages.createdAt, p('since')), lt(messages.createdAt, p('until')), eq(messages.kind, 'message'), eq(messages.authorIsBot, false)))
      .orderBy(messages.createdAt, messages.rowId)
      .prepare();
  const shapesIn = { judged: shapesOf(true), plain: shapesOf(false) };
  const VERDICTS_PER_TRANSACTION = 5000;
  const setVerdictsOne = sqlite.prepare('update messages set verdicts = ? where row_id = ? and community_id = ? and text = ?');
  const setVerdictsAll = sqlite.transaction((community: string, judged: Array<{ rowId: number; text: string; verdicts: number }>) => {
    for (const j of judged) setVerdictsOne.run(j.verdicts, j.rowId, community, j.text);
  });
  // No RETURNING: SQLite builds an ephemeral table for it (3x the cost of the insert). The
  // new row is rebuilt from its values and the new row id.
  const insertOne = db
    .insert(messages)
    .values({
      communityId: p('communityId'),
      id: p('id'),
      channelId: p('channelId'),
      authorId: p('authorId'),
      authorIsBot: p('authorIsBot'),
      isCompanion: p('isCompanion'),
      kind: p('kind'),
      text: p('text'),
      title: p('title'),
      threadId: p('threadId'),
      replyTo: p('replyTo'),
      replyInferred: p('replyInferred'),
      discussionId: p('discussionId'),
      createdAt: p('createdAt'),
      editedAt: p('editedAt'),
      transcribed: p('transcribed'),
    })
    .onConflictDoNothing()
    .prepare();
  const setReplyOne = db
    .update(messages)
    .set({ replyTo: sql`${p('replyTo')}`, replyInferred: sql`${p('replyInferred')}`, discussionId: sql`${p('discussionId')}` })
    .where(and(eq(messages.communityId, p('community')), eq(messages.id, p('id'))))
    .prepare();
  // The FTS index row for a new message (drizzle/0004: written here, not by a trigger).
  const indexOne = sqlite.prepare(`INSERT INTO related_fts (rowid, title, body) VALUES (?, ?, ?)`);
  // Per-channel document counts for new messages (drizzle/0007: here, not by a trigger; edits
  // and deletes keep theirs). A trigger makes the insert run under a statement savepoint, and
  // FTS5 flushes its pending index data at every savepoint: a segment per message.
  const countDocuments = sqlite.prepare(
    `INSERT INTO related_documents (community_id, channel_id, documents) VALUES (?, ?, ?)
     ON CONFLICT (community_id, channel_id) DO UPDATE SET documents = documents + excluded.documents`,
  );
  // During a batch the counts are added up here and written once, before COMMIT (or before
  // any edit or delete, whose triggers update the same rows).
  const pendingDocuments = new Map<string, { community: string; channel: string; documents: number }>();
  const writePendingDocuments = () => {
    for (const { community, channel, documents } of pendingDocuments.values()) countDocuments.run(community, channel, documents);
    pendingDocuments.clear();
  };
  batch.defer({ flush: writePendingDocuments, discard: () => pendingDocuments.clear() });
  const countDocument = (community: string, channel: string) => {
    if (!batch.active) {
      countDocuments.run(community, channel, 1);
      return;
    }
    const key = cacheKey(community, channel);
    const pending = pendingDocuments.get(key);
    if (pending) pending.documents++;
    else pendingDocuments.set(key, { community, channel, documents: 1 });
  };
  const insertAndIndex = (row: Omit<MessageRow, 'rowId'>): MessageRow | undefined => {
    const result = insertOne.run({ ...row, authorIsBot: row.authorIsBot ? 1 : 0, isCompanion: row.isCompanion ? 1 : 0, replyInferred: row.replyInferred ? 1 : 0, transcribed: row.transcribed ? 1 : 0 });
    if (result.changes === 0) return undefined;
    const inserted: MessageRow = { rowId: Number(result.lastInsertRowid), ...row };
    if (isSearchable(inserted)) {
      indexOne.run(inserted.rowId, inserted.title ?? '', inserted.text);
      countDocument(row.communityId, row.channelId);
    }
    cached.set(cacheKey(row.communityId, row.id), inserted);
    return inserted;
  };
  const insertAndIndexAtomically = sqlite.transaction(insertAndIndex);
  // Reply inference reads this window for every message: prepared once.
  const windowBefore = db
    .select({ ...pick(messages, WINDOW_COLUMNS), authorName: members.name })
    .from(messages)
    .leftJoin(members, and(eq(members.communityId, messages.communityId), eq(members.id, messages.authorId)))
    .where(
      and(
        eq(messages.communityId, p('community')),
        eq(messages.channelId, p('channelId')),
        gte(messages.createdAt, p('since')),
        or(lt(messages.createdAt, p('createdAt')), and(eq(messages.createdAt, p('createdAt')), lt(messages.rowId, p('rowId')))),
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.rowId))
    .limit(p('limit'))
    .prepare();
  return {
    /**
     * Insert a message; a message already stored (replayed event, re-import) is left as it is.
     * Returns the new row, or undefined when it was already there.
     */
    async insert(community: string, message: NewMessage): Promise<MessageRow | undefined> {
      // Inside a batch (import) the open transaction already makes the pair atomic; a nested
      // savepoint would make FTS5 flush on every message.
      const write = sqlite.inTransaction ? insertAndIndex : insertAndIndexAtomically;
      return write(messageRow(community, message));
    },
    async get(community: string, id: string): Promise<MessageRow | undefined> {
      return cached.get(cacheKey(community, id), () => getOne.get({ community, id }));
    },
    async updateText(community: string, id: string, text: string, title: string | null | undefined, at: number): Promise<boolean> {
      cached.drop(cacheKey(community, id));
      writePendingDocuments();
      const result = db
        .update(messages)
        .set({ text, editedAt: at, verdicts: null, ...(title !== undefined ? { title } : {}) })
        .where(byId(community, id))
        .run();
      return result.changes > 0;
    },
    async setTranscript(community: string, id: string, text: string): Promise<boolean> {
      cached.drop(cacheKey(community, id));
      writePendingDocuments();
      return db.update(messages).set({ text, transcribed: true, verdicts: null }).where(and(byId(community, id), eq(messages.transcribed, false))).run().changes > 0;
    },
    async setReply(community: string, id: string, replyTo: string | null, inferred: boolean, discussionId: string | null): Promise<void> {
      setReplyOne.run({ community, id, replyTo, replyInferred: inferred ? 1 : 0, discussionId });
      cached.update(cacheKey(community, id), (row) => ({ ...row, replyTo, replyInferred: inferred, discussionId }));
    },
    /** Remove a message entirely (platform delete). */
    async delete(community: string, id: string): Promise<MessageRow | undefined> {
      cached.drop(cacheKey(community, id));
      writePendingDocuments();
      const row = db.select().from(messages).where(byId(community, id)).get();
      if (row) db.delete(messages).where(byId(community, id)).run();
      return row;
    },
    /** Recent messages in a channel, newest first (for "what is this same-here about"). */
    async recentInChannel(community: string, channelId: string, since: number, limit = 50): Promise<MessageRow[]> {
      return db
        .select()
        .from(messages)
        .where(and(eq(messages.communityId, community), eq(messages.channelId, channelId), gte(messages.createdAt, since)))
        .orderBy(desc(messages.createdAt), desc(messages.rowId))
        .limit(limit)
        .all();
    },
    /**
     * The messages posted in a channel before `message` (earlier time, or same time and stored
     * earlier), no older than `since`, newest first, with their author's display name.
     * The bounded window reply inference looks at.
     */
    async before(
      community: string,
      channelId: string,
      message: { createdAt: number; rowId: number },
      since: number,
      limit = 50,
    ): Promise<WindowMessage[]> {
      return windowBefore.all({ community, channelId, since, createdAt: message.createdAt, rowId: message.rowId, limit });
    },
    /** Messages of a discussion (thread root + replies), oldest first. */
    async inDiscussion(community: string, discussionId: string): Promise<MessageRow[]> {
      return db
        .select()
        .from(messages)
        .where(
          and(
            eq(messages.communityId, community),
            or(eq(messages.discussionId, discussionId), eq(messages.id, discussionId), eq(messages.threadId, discussionId)),
          ),
        )
        .orderBy(messages.createdAt, messages.rowId)
        .all();
    },
    /** Messages that answer this one: explicit or inferred replies, and messages in the thread it started. */
    async repliesTo(community: string, id: string): Promise<MessageRow[]> {
      return db
        .select()
        .from(messages)
        .where(and(eq(messages.communityId, community), or(eq(messages.replyTo, id), eq(messages.threadId, id))))
        .orderBy(messages.createdAt, messages.rowId)
        .all();
    },
    /**
     * Discussions with human messages stored after row `afterRowId` and written since `since`
     * (oldest change first), with the last such row id: the embeddings refresh queue.
     */
    async discussionsTouchedAfter(community: string, afterRowId: number, since: number, limit: number): Promise<{ discussionId: string; lastRowId: number }[]> {
      const lastRowId = sql<number>`max(${messages.rowId})`;
      const rows = db
        .select({ discussionId: messages.discussionId, lastRowId })
        .from(messages)
        .where(
          and(
            eq(messages.communityId, community),
            gt(messages.rowId, afterRowId),
            gte(messages.createdAt, since),
            eq(messages.authorIsBot, false),
            isNotNull(messages.discussionId),
          ),
        )
        .groupBy(messages.discussionId)
        .orderBy(asc(lastRowId))
        .limit(limit)
        .all();
      return rows.filter((r): r is { discussionId: string; lastRowId: number } => r.discussionId !== null);
    },
    async byAuthor(community: string, authorId: string): Promise<MessageRow[]> {
      return db.select().from(messages).where(and(eq(messages.communityId, community), eq(messages.authorId, authorId))).all();
    },
    /**
     * The companion's own stored posts that name this member (`<@id>`, Slack's `<@id|name>`):
     * suggestions quoting their message, acknowledgements, pointers (forget-me).
     */
    async companionPostsNaming(community: string, memberId: string): Promise<MessageRow[]> {
      return db
        .select()
        .from(messages)
        .where(
          and(
            eq(messages.communityId, community),
            eq(messages.isCompanion, true),
            or(sql`instr(${messages.text}, ${`<@${memberId}>`}) > 0`, sql`instr(${messages.text}, ${`<@${memberId}|`}) > 0`),
          ),
        )
        .all();
    },
    /** Messages created in [since, until), oldest first (metrics). */
    async inWindow(community: string, since: number, until: number): Promise<MessageRow[]> {
      return db
        .select()
        .from(messages)
        .where(and(eq(messages.communityId, community), gte(messages.createdAt, since), lt(messages.createdAt, until)))
        .orderBy(messages.createdAt, messages.rowId)
        .all();
    },
    async shapesInWindow(community: string, since: number, until: number, { judgedWith }: { judgedWith?: number } = {}): Promise<MessageShape[]> {
      // Rows as arrays, made objects here: drizzle's row mapping costs a third more.
      type Values = [number, string, string, string, number, string | null, string | null, string | null, string | null, number | null];
      const rows = judgedWith === undefined ? shapesIn.plain.values({ community, since, until }) : shapesIn.judged.values({ community, since, until, tag: judgedWith });
      return (rows as Values[]).map(([rowId, id, channelId, authorId, createdAt, replyTo, threadId, discussionId, text, verdicts]) => ({
        rowId,
        id,
        channelId,
        authorId,
        createdAt,
        replyTo,
        threadId,
        discussionId,
        text,
        verdicts,
      }));
    },
    async setVerdicts(community: string, judged: Array<{ rowId: number; text: string; verdicts: number }>): Promise<void> {
      // A transaction per few thousand: another process over the file (the companion, while
      // `hearth dashboard` judges four weeks) never waits long for the write lock.
      for (let start = 0; start < judged.length; start += VERDICTS_PER_TRANSACTION) setVerdictsAll(community, judged.slice(start, start + VERDICTS_PER_TRANSACTION));
    },
    async countByAuthor(community: string, since: number, until: number): Promise<AuthorCount[]> {
      return db
        .select({ authorId: messages.authorId, count: sql<number>`count(*)` })
        .from(messages)
        .where(humanPostedBetween(messages, community, since, until))
        .groupBy(messages.authorId)
        .all();
    },
    async quietAuthors(community: string, rule: { since: number; quietSince: number; until: number; atLeast: number; authorId?: string }): Promise<string[]> {
      return db.all<{ author_id: string }>(quietAuthorsStatement(messages, alias(messages, 'later'), community, rule)).map((r) => r.author_id);
    },
    /**
     * Authors with a human message between `minGap` and `maxGap` after their first post: for
     * each member with a first post, one short range of messages_author_time_idx. (A CROSS
     * JOIN keeps members as the outer loop: SQLite would otherwise walk every message of the
     * community through that index and look each author up.)
     */
    async authorsBackAfterFirstPost(community: string, minGap: number, maxGap: number, memberId?: string): Promise<string[]> {
      const rows = db
        .selectDistinct({ authorId: messages.authorId })
        .from(members)
        .crossJoin(messages)
        .where(
          and(
            eq(members.communityId, community),
            memberId === undefined ? undefined : eq(members.id, memberId),
            isNotNull(members.firstPostAt),
            humanMessage(community),
            eq(messages.authorId, members.id),
            gte(messages.createdAt, sql`${members.firstPostAt} + ${minGap}`),
            lte(messages.createdAt, sql`${members.firstPostAt} + ${maxGap}`),
          ),
        )
        .all();
      return rows.map((r) => r.authorId);
    },
    /** When a community's first and last stored messages were written (null with none). */
    async span(community: string): Promise<{ first: number; last: number } | null> {
      const row = db
        .select({ first: sql<number | null>`min(${messages.createdAt})`, last: sql<number | null>`max(${messages.createdAt})` })
        .from(messages)
        .where(eq(messages.communityId, community))
        .get();
      return row?.first != null && row.last != null ? { first: row.first, last: row.last } : null;
    },
    /** Retention: blank the text of messages older than `before`; returns how many. */
    async purgeTextBefore(community: string, before: number): Promise<number> {
      cached.clear();
      writePendingDocuments();
      return db
        .update(messages)
        .set({ text: null, title: null, verdicts: null })
        .where(and(eq(messages.communityId, community), lt(messages.createdAt, before), isNotNull(messages.text)))
        .run().changes;
    },
  };
}
