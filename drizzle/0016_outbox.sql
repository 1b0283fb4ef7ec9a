CREATE TABLE `outbox` (
	`community_id` text NOT NULL,
	`key` text NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`channel_id` text,
	`message_id` text,
	PRIMARY KEY(`community_id`, `key`)
);
