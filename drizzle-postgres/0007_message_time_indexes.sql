DROP INDEX "messages_author_time_idx";--> statement-breakpoint
CREATE INDEX "messages_time_idx" ON "messages" USING btree ("community_id","created_at","author_id","kind","author_is_bot","is_companion");--> statement-breakpoint
CREATE INDEX "messages_author_time_idx" ON "messages" USING btree ("community_id","author_id","created_at","kind","author_is_bot","is_companion");