CREATE TABLE `identity_link_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`community_id` text NOT NULL,
	`member_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer
);
--> statement-breakpoint
CREATE INDEX `identity_link_codes_member_idx` ON `identity_link_codes` (`community_id`,`member_id`);--> statement-breakpoint
CREATE INDEX `identity_link_codes_expires_idx` ON `identity_link_codes` (`expires_at`);