CREATE TABLE `dashboard_links` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`community_id` text NOT NULL,
	`member_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer
);
--> statement-breakpoint
CREATE INDEX `dashboard_links_community_idx` ON `dashboard_links` (`community_id`,`expires_at`);--> statement-breakpoint
CREATE TABLE `dashboard_sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`community_id` text NOT NULL,
	`member_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `dashboard_sessions_community_idx` ON `dashboard_sessions` (`community_id`,`expires_at`);