CREATE TABLE `deliveries` (
	`community_id` text NOT NULL,
	`key` text NOT NULL,
	`received_at` integer NOT NULL,
	`lease_until` integer,
	`done_at` integer,
	PRIMARY KEY(`community_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `deliveries_received_idx` ON `deliveries` (`community_id`,`received_at`);