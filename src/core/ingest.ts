/**
 * Step one for every event: record what happened (community, member, channel, message)
 * and note what later features need to know. Replayed events are detected here so no
 * feature acts twice on the same message.
 */
import type { CoreContext, EventNotes } from './context';
import type { HearthEvent, IncomingMessage } from './events';

/**
 * `resumed`: the event's delivery was taken over from a handler that died, which may have
 * stored it (all or part) before its features ran. What that handler stored is then not a
 * duplicate: the notes are the ones the first store would have given, so the features run.
 */
export async function ingest(core: CoreContext, event: HearthEvent, { resumed = false }: { resumed?: boolean } = {}): Promise<EventNotes> {
  const { repos, platform } = core;
  const community = event.community;
  await repos.communities.ensure(community, platform.name, event.communityName ?? community, event.at);
  const notes: EventNotes = resumed ? { resumed } : {};

  switch (event.type) {
    case 'member_joined': {
      const before = await repos.members.get(community, event.member.id);
      if (before?.forgottenAt != null && event.at <= before.forgottenAt) {
        notes.duplicate = true; // see forgottenBefore
        break;
      }
      await repos.members.upsert(community, event.member, event.at);
      if (before?.joinedAt === event.at && resumed) {
        // Marked joined by the handler that died: what came before this join is overwritten,
        // so a member who had posted before it counts as rejoining (one who only joined
        // before without posting is taken as new).
        if (before.firstPostAt != null && before.firstPostAt < event.at) notes.rejoined = true;
      } else if (before?.joinedAt === event.at) notes.duplicate = true;
      else {
        // Re-joining does not make someone new again (docs/metrics.md, "Newcomers").
        if (before && (before.joinedAt != null || before.firstPostAt != null)) notes.rejoined = true;
        await repos.members.markJoined(community, event.member.id, event.at);
      }
      notes.fromBot = Boolean(event.member.isBot);
      break;
    }
    case 'message_posted': {
      if (await forgottenBefore(core, community, event.message.author.id, event.message.at)) {
        notes.duplicate = true;
        break;
      }
      notes.fromBot = Boolean(event.message.author.isBot) || event.message.author.id === platform.selfId;
      if (event.message.lateTranscript) {
        // A stored message whose words arrive now (the Transcribe action): the transcript is
        // kept once, and only the event that kept it lets the features read the words. A
        // message deleted or forgotten meanwhile is not stored again.
        const current = await messageInChannel(core, community, event.message.channel.id, event.message.id);
        const kept = current !== undefined && event.message.transcript !== undefined && (await repos.messages.setTranscript(community, current.id, event.message.text));
        notes.duplicate = !kept;
        notes.lateTranscript = kept || undefined;
        notes.message = kept ? await repos.messages.get(community, current.id) : undefined;
        break;
      }
      const stored = await storeMessage(core, community, event.message, resumed);
      notes.duplicate = !stored.isNew && !resumed;
      notes.message = stored.row;
      notes.firstPost = stored.firstPost;
      break;
    }
    case 'message_edited': {
      const current = await messageInChannel(core, community, event.channelId, event.messageId);
      // Platforms report an "edit" that changes no words (a link preview unfolding, a thread's
      // replies): nothing changed, nothing to act on.
      const same = current !== undefined && current.text === event.text && (event.title === undefined || (event.title ?? null) === current.title);
      const changed = current !== undefined && !same && (await repos.messages.updateText(community, event.messageId, event.text, event.title, event.at));
      notes.duplicate = !changed;
      notes.message = changed ? await repos.messages.get(community, event.messageId) : undefined;
      notes.fromBot = Boolean(notes.message?.authorIsBot || notes.message?.isCompanion);
      break;
    }
    case 'message_deleted': {
      const current = await messageInChannel(core, community, event.channelId, event.messageId);
      const removed = current ? await repos.messages.delete(community, event.messageId) : undefined;
      notes.duplicate = !removed;
      notes.message = removed;
      break;
    }
    case 'reaction_added':
      if (await forgottenBefore(core, community, event.member.id, event.at)) {
        notes.duplicate = true;
        break;
      }
      await repos.members.upsert(community, event.member, event.at);
      notes.fromBot = Boolean(event.member.isBot) || event.member.id === platform.selfId;
      notes.reactedTo = await messageInChannel(core, community, event.channelId, event.messageId);
      break;
    case 'reaction_removed':
      notes.fromBot = Boolean(event.member.isBot) || event.member.id === platform.selfId;
      notes.reactedTo = await messageInChannel(core, community, event.channelId, event.messageId);
      break;
    case 'command_invoked':
    case 'button_pressed':
      await repos.members.upsert(community, event.member, event.at);
      await repos.channels.upsert(community, event.channel, event.at);
      break;
    case 'channel_membership':
      await repos.channels.upsert(community, event.channel, event.at);
      if (event.change === 'joined') await repos.channels.addMember(community, event.channel.id, event.memberId);
      else await repos.channels.removeMember(community, event.channel.id, event.memberId);
      break;
    case 'channel_updated':
      await repos.channels.upsert(community, event.channel, event.at);
      break;
    case 'member_updated': {
      // Only members already known, and never a forgotten one's name back.
      const known = await repos.members.get(community, event.member.id);
      if (known && known.forgottenAt === null) await repos.members.upsert(community, event.member, event.at);
      break;
    }
  }
  return notes;
}

/** Store a message with its channel and author. Used by live events and history import alike. */
export async function storeMessage(core: Pick<CoreContext, 'repos' | 'platform'>, community: string, message: IncomingMessage, resumed = false) {
  const { repos, platform } = core;
  await repos.channels.upsert(community, message.channel, message.at);
  await repos.members.upsert(community, message.author, message.at);
  const isCompanion = message.author.id === platform.selfId;
  const parent = message.replyTo ? await repos.messages.get(community, message.replyTo) : undefined;
  const discussionId = message.threadId ?? parent?.discussionId ?? message.replyTo ?? message.id;
  const inserted = await repos.messages.insert(community, {
    id: message.id,
    channelId: message.channel.id,
    authorId: message.author.id,
    authorIsBot: Boolean(message.author.isBot) || isCompanion,
    isCompanion,
    kind: message.kind ?? 'message',
    text: message.text,
    title: message.title ?? null,
    threadId: message.threadId ?? null,
    replyTo: message.replyTo ?? null,
    discussionId,
    createdAt: message.at,
    editedAt: message.editedAt ?? null,
    transcribed: Boolean(message.transcript),
  });
  const isNew = inserted !== undefined;
  const human = !message.author.isBot && !isCompanion && (message.kind ?? 'message') === 'message';
  // A resumed delivery's message was stored by the handler that died, which may or may not
  // have marked the post: marking again changes nothing, and its first post is this message's time.
  const again = !isNew && resumed;
  const firstPost =
    (isNew || again) && human
      ? (await repos.members.markPosted(community, message.author.id, message.at)) ||
        (again && (await repos.members.get(community, message.author.id))?.firstPostAt === message.at)
      : false;
  const row = inserted ?? (await repos.messages.get(community, message.id))!;
  return { isNew, firstPost, row };
}

/**
 * `/forget-me`: the member asked to be forgotten at or after `at`, so this event of theirs
 * (a re-import, a backfill, a late retry) is not stored again. What they do afterwards is new.
 */
async function forgottenBefore(core: Pick<CoreContext, 'repos'>, community: string, memberId: string, at: number): Promise<boolean> {
  const forgottenAt = (await core.repos.members.get(community, memberId))?.forgottenAt;
  return forgottenAt != null && at <= forgottenAt;
}

/**
 * The stored message an edit, delete or reaction in `channelId` names, or undefined. Only a
 * message of that channel: a message id is not unique across channels on every platform
 * (Slack's ts is per channel; ids stored before drizzle/0010 are bare ts), and an edit in
 * one channel must never rewrite, delete or credit another channel's message.
 */
async function messageInChannel(core: Pick<CoreContext, 'repos'>, community: string, channelId: string, messageId: string) {
  const row = await core.repos.messages.get(community, messageId);
  return row?.channelId === channelId ? row : undefined;
}
