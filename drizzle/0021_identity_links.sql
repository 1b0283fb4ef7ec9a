CREATE TABLE `identity_links` (
	`community_id` text NOT NULL,
	`member_id` text NOT NULL,
	`linked_community_id` text NOT NULL,
	`linked_member_id` text NOT NULL,
	`via` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`community_id`, `member_id`, `linked_community_id`, `linked_member_id`)
);
--> statement-breakpoint
CREATE INDEX `identity_links_linked_idx` ON `identity_links` (`linked_community_id`,`linked_member_id`);--> statement-breakpoint
CREATE INDEX `members_email_idx` ON `members` (lower(trim("email")));