ALTER TABLE `members` ADD `translator_languages` text;--> statement-breakpoint
ALTER TABLE `members` ADD `translator_last_asked_at` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `transcribed` integer DEFAULT false NOT NULL;