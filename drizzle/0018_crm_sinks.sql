CREATE TABLE `crm_sync` (
	`community_id` text NOT NULL,
	`sink` text NOT NULL,
	`member_id` text NOT NULL,
	`fingerprint` text NOT NULL,
	`external_id` text,
	`created_by_sink` integer DEFAULT false NOT NULL,
	`synced_at` integer NOT NULL,
	PRIMARY KEY(`community_id`, `sink`, `member_id`)
);
--> statement-breakpoint
CREATE TABLE `webhook_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`community_id` text NOT NULL,
	`event_id` text NOT NULL,
	`type` text NOT NULL,
	`member_id` text,
	`body` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_until` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_events_event_uq` ON `webhook_events` (`event_id`);--> statement-breakpoint
CREATE INDEX `webhook_events_due_idx` ON `webhook_events` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `webhook_events_member_idx` ON `webhook_events` (`community_id`,`member_id`);