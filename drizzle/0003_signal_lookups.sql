DROP INDEX `signals_kind_subject_idx`;--> statement-breakpoint
DROP INDEX `signals_kind_actor_time_idx`;--> statement-breakpoint
CREATE INDEX `signals_kind_subject_time_idx` ON `signals` (`community_id`,`kind`,`subject_id`,`at`,`actor_id`);--> statement-breakpoint
CREATE INDEX `signals_kind_actor_time_idx` ON `signals` (`community_id`,`kind`,`actor_id`,`at`,`subject_id`);