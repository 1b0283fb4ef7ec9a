CREATE TABLE "channel_members" (
	"community_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"member_id" text NOT NULL,
	CONSTRAINT "channel_members_community_id_channel_id_member_id_pk" PRIMARY KEY("community_id","channel_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "channels" (
	"community_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"visibility" text DEFAULT 'public' NOT NULL,
	"kind" text DEFAULT 'text' NOT NULL,
	"parent_id" text,
	"created_at" bigint NOT NULL,
	CONSTRAINT "channels_community_id_id_pk" PRIMARY KEY("community_id","id")
);
--> statement-breakpoint
CREATE TABLE "checkpoints" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "communities" (
	"id" text PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"name" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "companion_posts" (
	"community_id" text NOT NULL,
	"key" text NOT NULL,
	"channel_id" text NOT NULL,
	"message_id" text NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "companion_posts_community_id_key_pk" PRIMARY KEY("community_id","key")
);
--> statement-breakpoint
CREATE TABLE "embeddings" (
	"community_id" text NOT NULL,
	"discussion_id" text NOT NULL,
	"model" text NOT NULL,
	"vector" "bytea" NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "embeddings_community_id_discussion_id_model_pk" PRIMARY KEY("community_id","discussion_id","model")
);
--> statement-breakpoint
CREATE TABLE "escalations" (
	"id" serial PRIMARY KEY NOT NULL,
	"community_id" text NOT NULL,
	"requester_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"message_id" text,
	"reason" text,
	"latest_reason" text,
	"stakes_class" text DEFAULT 'none' NOT NULL,
	"stakes" text DEFAULT 'low' NOT NULL,
	"source" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"request_count" integer DEFAULT 1 NOT NULL,
	"same_here_count" integer DEFAULT 0 NOT NULL,
	"created_at" bigint NOT NULL,
	"last_request_at" bigint NOT NULL,
	"claimed_by" text,
	"claimed_at" bigint,
	"resolved_by" text,
	"resolved_at" bigint,
	"resolution_note" text,
	"tier" integer DEFAULT 0 NOT NULL,
	"acknowledged_at" bigint
);
--> statement-breakpoint
CREATE TABLE "members" (
	"community_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"is_bot" boolean DEFAULT false NOT NULL,
	"is_moderator" boolean DEFAULT false NOT NULL,
	"joined_at" bigint,
	"first_seen_at" bigint NOT NULL,
	"first_post_at" bigint,
	"last_post_at" bigint,
	"welcomer" boolean DEFAULT false NOT NULL,
	"welcomer_last_asked_at" bigint,
	"analytics_opt_out" boolean DEFAULT false NOT NULL,
	"forgotten_at" bigint,
	"locale" text,
	"email" text,
	CONSTRAINT "members_community_id_id_pk" PRIMARY KEY("community_id","id")
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"row_id" bigserial PRIMARY KEY NOT NULL,
	"community_id" text NOT NULL,
	"id" text NOT NULL,
	"channel_id" text NOT NULL,
	"author_id" text NOT NULL,
	"author_is_bot" boolean DEFAULT false NOT NULL,
	"is_companion" boolean DEFAULT false NOT NULL,
	"kind" text DEFAULT 'message' NOT NULL,
	"text" text,
	"title" text,
	"thread_id" text,
	"reply_to" text,
	"reply_inferred" boolean DEFAULT false NOT NULL,
	"discussion_id" text,
	"created_at" bigint NOT NULL,
	"edited_at" bigint
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"community_id" text NOT NULL,
	"key" text NOT NULL,
	"created_at" bigint NOT NULL,
	"sent_at" bigint,
	"channel_id" text,
	"message_id" text,
	CONSTRAINT "outbox_community_id_key_pk" PRIMARY KEY("community_id","key")
);
--> statement-breakpoint
CREATE TABLE "related_documents" (
	"community_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"documents" integer NOT NULL,
	CONSTRAINT "related_documents_community_id_channel_id_pk" PRIMARY KEY("community_id","channel_id")
);
--> statement-breakpoint
CREATE TABLE "related_index" (
	"row_id" bigint PRIMARY KEY NOT NULL,
	"community_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"terms" "tsvector" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "same_here" (
	"community_id" text NOT NULL,
	"message_id" text NOT NULL,
	"member_id" text NOT NULL,
	"via" text NOT NULL,
	"at" bigint NOT NULL,
	CONSTRAINT "same_here_community_id_message_id_member_id_pk" PRIMARY KEY("community_id","message_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "scheduled_tasks" (
	"id" serial PRIMARY KEY NOT NULL,
	"community_id" text NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"due_at" bigint NOT NULL,
	"payload" jsonb,
	"status" text DEFAULT 'pending' NOT NULL,
	"lease_until" bigint,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" bigint NOT NULL,
	"finished_at" bigint
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"community_id" text NOT NULL,
	"key" text NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" bigint NOT NULL,
	"updated_by" text,
	CONSTRAINT "settings_community_id_key_pk" PRIMARY KEY("community_id","key")
);
--> statement-breakpoint
CREATE TABLE "signals" (
	"id" serial PRIMARY KEY NOT NULL,
	"community_id" text NOT NULL,
	"kind" text NOT NULL,
	"actor_id" text NOT NULL,
	"subject_id" text,
	"message_id" text,
	"channel_id" text,
	"at" bigint NOT NULL,
	"data" jsonb,
	"dedupe_key" text
);
--> statement-breakpoint
ALTER TABLE "related_index" ADD CONSTRAINT "related_index_row_id_messages_row_id_fk" FOREIGN KEY ("row_id") REFERENCES "public"."messages"("row_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "companion_posts_message_idx" ON "companion_posts" USING btree ("community_id","message_id");--> statement-breakpoint
CREATE INDEX "escalations_status_idx" ON "escalations" USING btree ("community_id","status","created_at");--> statement-breakpoint
CREATE INDEX "escalations_requester_idx" ON "escalations" USING btree ("community_id","requester_id","channel_id");--> statement-breakpoint
CREATE INDEX "members_name_idx" ON "members" USING btree ("community_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "messages_community_id_uq" ON "messages" USING btree ("community_id","id");--> statement-breakpoint
CREATE INDEX "messages_channel_time_idx" ON "messages" USING btree ("community_id","channel_id","created_at");--> statement-breakpoint
CREATE INDEX "messages_author_time_idx" ON "messages" USING btree ("community_id","author_id","created_at");--> statement-breakpoint
CREATE INDEX "messages_discussion_idx" ON "messages" USING btree ("community_id","discussion_id");--> statement-breakpoint
CREATE INDEX "related_index_terms_idx" ON "related_index" USING gin ("terms");--> statement-breakpoint
CREATE INDEX "related_index_scope_idx" ON "related_index" USING btree ("community_id","channel_id");--> statement-breakpoint
CREATE INDEX "same_here_time_idx" ON "same_here" USING btree ("community_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "scheduled_tasks_key_uq" ON "scheduled_tasks" USING btree ("community_id","key");--> statement-breakpoint
CREATE INDEX "scheduled_tasks_due_idx" ON "scheduled_tasks" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "signals_kind_time_idx" ON "signals" USING btree ("community_id","kind","at");--> statement-breakpoint
CREATE INDEX "signals_kind_actor_time_idx" ON "signals" USING btree ("community_id","kind","actor_id","at","subject_id");--> statement-breakpoint
CREATE INDEX "signals_kind_subject_time_idx" ON "signals" USING btree ("community_id","kind","subject_id","at","actor_id");--> statement-breakpoint
CREATE INDEX "signals_related_idx" ON "signals" USING btree ("community_id","message_id") WHERE "signals"."kind" = 'thanked' OR "signals"."dedupe_key" LIKE 'helped:accepted:%';--> statement-breakpoint
CREATE UNIQUE INDEX "signals_dedupe_uq" ON "signals" USING btree ("community_id","dedupe_key");