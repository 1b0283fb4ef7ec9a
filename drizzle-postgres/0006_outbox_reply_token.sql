ALTER TABLE "outbox" ADD COLUMN "reply_token" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "reply_token_until" bigint;