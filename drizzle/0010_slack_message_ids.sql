-- Slack message ids become `channel/ts` (src/platforms/slack/ids.ts): a Slack ts is unique
-- within its channel only, so two channels' messages could share an id. Rewrites the ids
-- stored by Slack communities before this version, and every column naming one of them.
-- References are rewritten first, through the message they name (ids are still bare then),
-- and messages.id last. An id with a '/' is already qualified and left alone. Dedupe keys of
-- past signals keep the bare ts: they only stop the same fact from being recorded twice, and
-- a stored message is never processed again.
CREATE TEMP TABLE `slack_qualified` (`community_id` text NOT NULL, `id` text NOT NULL, `qualified` text NOT NULL, PRIMARY KEY (`community_id`, `id`)) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `slack_qualified` SELECT `community_id`, `id`, `channel_id` || '/' || `id` FROM `messages`
WHERE `community_id` IN (SELECT `id` FROM `communities` WHERE `platform` = 'slack') AND instr(`id`, '/') = 0;
--> statement-breakpoint
UPDATE `messages` SET
  `thread_id` = coalesce((SELECT q.`qualified` FROM `slack_qualified` q WHERE q.`community_id` = `messages`.`community_id` AND q.`id` = `messages`.`thread_id`), `thread_id`),
  `reply_to` = coalesce((SELECT q.`qualified` FROM `slack_qualified` q WHERE q.`community_id` = `messages`.`community_id` AND q.`id` = `messages`.`reply_to`), `reply_to`),
  `discussion_id` = coalesce((SELECT q.`qualified` FROM `slack_qualified` q WHERE q.`community_id` = `messages`.`community_id` AND q.`id` = `messages`.`discussion_id`), `discussion_id`)
WHERE `community_id` IN (SELECT DISTINCT `community_id` FROM `slack_qualified`);
--> statement-breakpoint
UPDATE `messages` SET `id` = (SELECT q.`qualified` FROM `slack_qualified` q WHERE q.`community_id` = `messages`.`community_id` AND q.`id` = `messages`.`id`)
WHERE EXISTS (SELECT 1 FROM `slack_qualified` q WHERE q.`community_id` = `messages`.`community_id` AND q.`id` = `messages`.`id`);
--> statement-breakpoint
UPDATE `signals` SET `message_id` = (SELECT q.`qualified` FROM `slack_qualified` q WHERE q.`community_id` = `signals`.`community_id` AND q.`id` = `signals`.`message_id`)
WHERE EXISTS (SELECT 1 FROM `slack_qualified` q WHERE q.`community_id` = `signals`.`community_id` AND q.`id` = `signals`.`message_id`);
--> statement-breakpoint
UPDATE `escalations` SET `message_id` = (SELECT q.`qualified` FROM `slack_qualified` q WHERE q.`community_id` = `escalations`.`community_id` AND q.`id` = `escalations`.`message_id`)
WHERE EXISTS (SELECT 1 FROM `slack_qualified` q WHERE q.`community_id` = `escalations`.`community_id` AND q.`id` = `escalations`.`message_id`);
--> statement-breakpoint
UPDATE `same_here` SET `message_id` = (SELECT q.`qualified` FROM `slack_qualified` q WHERE q.`community_id` = `same_here`.`community_id` AND q.`id` = `same_here`.`message_id`)
WHERE EXISTS (SELECT 1 FROM `slack_qualified` q WHERE q.`community_id` = `same_here`.`community_id` AND q.`id` = `same_here`.`message_id`);
--> statement-breakpoint
UPDATE `embeddings` SET `discussion_id` = (SELECT q.`qualified` FROM `slack_qualified` q WHERE q.`community_id` = `embeddings`.`community_id` AND q.`id` = `embeddings`.`discussion_id`)
WHERE EXISTS (SELECT 1 FROM `slack_qualified` q WHERE q.`community_id` = `embeddings`.`community_id` AND q.`id` = `embeddings`.`discussion_id`);
--> statement-breakpoint
-- The companion's own posts are not always stored as messages: qualify them by the channel they were posted in.
UPDATE `companion_posts` SET `message_id` = `channel_id` || '/' || `message_id`
WHERE `community_id` IN (SELECT `id` FROM `communities` WHERE `platform` = 'slack') AND instr(`message_id`, '/') = 0;
--> statement-breakpoint
-- The same-here acknowledgement of a message is kept under `samehere:<message id>`.
UPDATE `companion_posts` SET `key` = 'samehere:' || (SELECT q.`qualified` FROM `slack_qualified` q WHERE q.`community_id` = `companion_posts`.`community_id` AND q.`id` = substr(`companion_posts`.`key`, 10))
WHERE `key` GLOB 'samehere:*' AND EXISTS (SELECT 1 FROM `slack_qualified` q WHERE q.`community_id` = `companion_posts`.`community_id` AND q.`id` = substr(`companion_posts`.`key`, 10));
--> statement-breakpoint
-- A pending "did the newcomer's first question get an answer" check names the question.
UPDATE `scheduled_tasks` SET `payload` = json_set(`payload`, '$.messageId', (SELECT q.`qualified` FROM `slack_qualified` q WHERE q.`community_id` = `scheduled_tasks`.`community_id` AND q.`id` = json_extract(`scheduled_tasks`.`payload`, '$.messageId')))
WHERE json_valid(`payload`) AND EXISTS (SELECT 1 FROM `slack_qualified` q WHERE q.`community_id` = `scheduled_tasks`.`community_id` AND q.`id` = json_extract(`scheduled_tasks`.`payload`, '$.messageId'));
--> statement-breakpoint
DROP TABLE `slack_qualified`;
