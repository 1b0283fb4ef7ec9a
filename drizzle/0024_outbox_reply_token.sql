ALTER TABLE `outbox` ADD `reply_token` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `reply_token_until` integer;