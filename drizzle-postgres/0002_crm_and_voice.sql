CREATE TABLE "crm_sync" (
	"community_id" text NOT NULL,
	"sink" text NOT NULL,
	"member_id" text NOT NULL,
	"fingerprint" text NOT NULL,
	"external_id" text,
	"created_by_sink" boolean DEFAULT false NOT NULL,
	"synced_at" bigint NOT NULL,
	CONSTRAINT "crm_sync_community_id_sink_member_id_pk" PRIMARY KEY("community_id","sink","member_id")
);
--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"community_id" text NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"member_id" text,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" bigint NOT NULL,
	"lease_until" bigint,
	"last_error" text,
	"created_at" bigint NOT NULL,
	"delivered_at" bigint
);
--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "translator_languages" jsonb;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "translator_last_asked_at" bigint;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "transcribed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_events_event_uq" ON "webhook_events" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "webhook_events_due_idx" ON "webhook_events" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "webhook_events_member_idx" ON "webhook_events" USING btree ("community_id","member_id");