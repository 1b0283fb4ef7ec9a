ALTER TABLE `members` ADD `forgotten_at` integer;--> statement-breakpoint
-- Members forgotten before this version (the record forget-me leaves: the placeholder name with
-- analytics off; any later event by them would have brought their name back) count as
-- forgotten from now on, so a re-import of older history does not bring their messages back.
UPDATE `members` SET `forgotten_at` = CAST(strftime('%s', 'now') AS integer) * 1000
WHERE `name` = 'forgotten member' AND `analytics_opt_out` = 1 AND `locale` IS NULL AND `welcomer` = 0;
