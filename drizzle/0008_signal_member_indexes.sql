DROP INDEX `signals_actor_idx`;--> statement-breakpoint
DROP INDEX `signals_subject_idx`;