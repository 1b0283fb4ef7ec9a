-- Finishes 0010 for references whose message Hearth never stored. 0010 qualified a thread,
-- reply or discussion id through the stored message of that bare ts; a thread root posted
-- before Hearth joined the channel was left a bare ts (while live events now name it
-- `channel/ts`: the thread split in two discussions), and a root dropped before 0010 because
-- another channel's message had the same ts was qualified with that other channel (a private
-- reply filed under a public message). A Slack thread, reply or discussion never leaves its
-- channel, so each is named by the channel of the message holding the reference. Escalations
-- and signals name their message's channel beside it. Idempotent: rows already right are
-- not touched. (Ids never contain '/' but the one 0010 put there.)
UPDATE `messages` SET
  `thread_id` = CASE WHEN `thread_id` IS NULL THEN NULL ELSE `channel_id` || '/' || substr(`thread_id`, instr(`thread_id`, '/') + 1) END,
  `reply_to` = CASE WHEN `reply_to` IS NULL THEN NULL ELSE `channel_id` || '/' || substr(`reply_to`, instr(`reply_to`, '/') + 1) END,
  `discussion_id` = CASE WHEN `discussion_id` IS NULL THEN NULL ELSE `channel_id` || '/' || substr(`discussion_id`, instr(`discussion_id`, '/') + 1) END
WHERE `community_id` IN (SELECT `id` FROM `communities` WHERE `platform` = 'slack') AND (
  `thread_id` <> `channel_id` || '/' || substr(`thread_id`, instr(`thread_id`, '/') + 1)
  OR `reply_to` <> `channel_id` || '/' || substr(`reply_to`, instr(`reply_to`, '/') + 1)
  OR `discussion_id` <> `channel_id` || '/' || substr(`discussion_id`, instr(`discussion_id`, '/') + 1)
);
--> statement-breakpoint
UPDATE `escalations` SET `message_id` = `channel_id` || '/' || `message_id`
WHERE `community_id` IN (SELECT `id` FROM `communities` WHERE `platform` = 'slack') AND instr(`message_id`, '/') = 0;
--> statement-breakpoint
UPDATE `signals` SET `message_id` = `channel_id` || '/' || `message_id`
WHERE `community_id` IN (SELECT `id` FROM `communities` WHERE `platform` = 'slack') AND `channel_id` IS NOT NULL AND instr(`message_id`, '/') = 0;
--> statement-breakpoint
-- Vectors stored under a discussion id still bare describe a discussion now named otherwise:
-- a derived cache, embedded again the first time the discussion shows up in a search.
DELETE FROM `embeddings` WHERE `community_id` IN (SELECT `id` FROM `communities` WHERE `platform` = 'slack') AND instr(`discussion_id`, '/') = 0;
--> statement-breakpoint
-- Dedupe keys that name a message (`helped:<question>:<helper>`, `thanked:reaction:<message>:
-- <member>`, ...) as features build them now, from the message's channel/ts: with the bare ts
-- kept, the same fact was recorded a second time when it recurred after the upgrade (a helper
-- answering an older question again, a 🙏 or ✅ removed and added back). The message a key
-- names is in the signal's channel (a reply's question, a reaction's or same-here's target).
-- A bare ts starts with a digit, a Slack channel id with a letter.
WITH `keyed`(`prefix`) AS (VALUES ('helped:accepted:'), ('helped:'), ('thanked:reaction:'), ('thanked:'), ('same_here:'), ('returned_to_help:'), ('conflict:'))
UPDATE OR IGNORE `signals` SET `dedupe_key` = (
  SELECT k.`prefix` || `signals`.`channel_id` || '/' || substr(`signals`.`dedupe_key`, length(k.`prefix`) + 1) FROM `keyed` k
  WHERE substr(`signals`.`dedupe_key`, 1, length(k.`prefix`)) = k.`prefix` AND substr(`signals`.`dedupe_key`, length(k.`prefix`) + 1, 1) GLOB '[0-9]')
WHERE `community_id` IN (SELECT `id` FROM `communities` WHERE `platform` = 'slack') AND `channel_id` IS NOT NULL
  AND EXISTS (SELECT 1 FROM `keyed` k WHERE substr(`signals`.`dedupe_key`, 1, length(k.`prefix`)) = k.`prefix` AND substr(`signals`.`dedupe_key`, length(k.`prefix`) + 1, 1) GLOB '[0-9]');
