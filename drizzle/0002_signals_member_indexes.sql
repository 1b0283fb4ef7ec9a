DROP INDEX `signals_actor_idx`;--> statement-breakpoint
DROP INDEX `signals_subject_idx`;--> statement-breakpoint
CREATE INDEX `signals_actor_kind_time_idx` ON `signals` (`community_id`,`actor_id`,`kind`,`at`);--> statement-breakpoint
CREATE INDEX `signals_subject_kind_time_idx` ON `signals` (`community_id`,`subject_id`,`kind`,`at`);