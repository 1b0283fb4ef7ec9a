CREATE TABLE `channel_members` (
	`community_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`member_id` text NOT NULL,
	PRIMARY KEY(`community_id`, `channel_id`, `member_id`)
);
--> statement-breakpoint
CREATE TABLE `channels` (
	`community_id` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`visibility` text DEFAULT 'public' NOT NULL,
	`kind` text DEFAULT 'text' NOT NULL,
	`parent_id` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`community_id`, `id`)
);
--> statement-breakpoint
CREATE TABLE `checkpoints` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `communities` (
	`id` text PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `companion_posts` (
	`community_id` text NOT NULL,
	`key` text NOT NULL,
	`channel_id` text NOT NULL,
	`message_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`community_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `embeddings` (
	`community_id` text NOT NULL,
	`discussion_id` text NOT NULL,
	`model` text NOT NULL,
	`vector` blob NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`community_id`, `discussion_id`, `model`)
);
--> statement-breakpoint
CREATE TABLE `escalations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`community_id` text NOT NULL,
	`requester_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`message_id` text,
	`reason` text,
	`stakes_class` text DEFAULT 'none' NOT NULL,
	`stakes` text DEFAULT 'low' NOT NULL,
	`source` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`request_count` integer DEFAULT 1 NOT NULL,
	`same_here_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`last_request_at` integer NOT NULL,
	`claimed_by` text,
	`claimed_at` integer,
	`resolved_by` text,
	`resolved_at` integer,
	`resolution_note` text,
	`tier` integer DEFAULT 0 NOT NULL,
	`acknowledged_at` integer
);
--> statement-breakpoint
CREATE INDEX `escalations_status_idx` ON `escalations` (`community_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `escalations_requester_idx` ON `escalations` (`community_id`,`requester_id`,`channel_id`);--> statement-breakpoint
CREATE TABLE `members` (
	`community_id` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`is_bot` integer DEFAULT false NOT NULL,
	`is_moderator` integer DEFAULT false NOT NULL,
	`joined_at` integer,
	`first_seen_at` integer NOT NULL,
	`first_post_at` integer,
	`last_post_at` integer,
	`welcomer` integer DEFAULT false NOT NULL,
	`welcomer_last_asked_at` integer,
	`analytics_opt_out` integer DEFAULT false NOT NULL,
	`locale` text,
	PRIMARY KEY(`community_id`, `id`)
);
--> statement-breakpoint
CREATE TABLE `messages` (
	`row_id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`community_id` text NOT NULL,
	`id` text NOT NULL,
	`channel_id` text NOT NULL,
	`author_id` text NOT NULL,
	`author_is_bot` integer DEFAULT false NOT NULL,
	`is_companion` integer DEFAULT false NOT NULL,
	`kind` text DEFAULT 'message' NOT NULL,
	`text` text,
	`title` text,
	`thread_id` text,
	`reply_to` text,
	`reply_inferred` integer DEFAULT false NOT NULL,
	`discussion_id` text,
	`created_at` integer NOT NULL,
	`edited_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_community_id_uq` ON `messages` (`community_id`,`id`);--> statement-breakpoint
CREATE INDEX `messages_channel_time_idx` ON `messages` (`community_id`,`channel_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `messages_author_time_idx` ON `messages` (`community_id`,`author_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `messages_discussion_idx` ON `messages` (`community_id`,`discussion_id`);--> statement-breakpoint
CREATE TABLE `same_here` (
	`community_id` text NOT NULL,
	`message_id` text NOT NULL,
	`member_id` text NOT NULL,
	`via` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`community_id`, `message_id`, `member_id`)
);
--> statement-breakpoint
CREATE INDEX `same_here_time_idx` ON `same_here` (`community_id`,`at`);--> statement-breakpoint
CREATE TABLE `scheduled_tasks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`community_id` text NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`due_at` integer NOT NULL,
	`payload` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `scheduled_tasks_key_uq` ON `scheduled_tasks` (`community_id`,`key`);--> statement-breakpoint
CREATE INDEX `scheduled_tasks_due_idx` ON `scheduled_tasks` (`status`,`due_at`);--> statement-breakpoint
CREATE TABLE `settings` (
	`community_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	PRIMARY KEY(`community_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `signals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`community_id` text NOT NULL,
	`kind` text NOT NULL,
	`actor_id` text NOT NULL,
	`subject_id` text,
	`message_id` text,
	`channel_id` text,
	`at` integer NOT NULL,
	`data` text,
	`dedupe_key` text
);
--> statement-breakpoint
CREATE INDEX `signals_kind_time_idx` ON `signals` (`community_id`,`kind`,`at`);--> statement-breakpoint
CREATE INDEX `signals_actor_idx` ON `signals` (`community_id`,`actor_id`);--> statement-breakpoint
CREATE INDEX `signals_subject_idx` ON `signals` (`community_id`,`subject_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `signals_dedupe_uq` ON `signals` (`community_id`,`dedupe_key`);