CREATE TABLE "dashboard_links" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"community_id" text NOT NULL,
	"member_id" text NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint
);
--> statement-breakpoint
CREATE TABLE "dashboard_sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"community_id" text NOT NULL,
	"member_id" text NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identity_links" (
	"community_id" text NOT NULL,
	"member_id" text NOT NULL,
	"linked_community_id" text NOT NULL,
	"linked_member_id" text NOT NULL,
	"via" text NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "identity_links_community_id_member_id_linked_community_id_linked_member_id_pk" PRIMARY KEY("community_id","member_id","linked_community_id","linked_member_id")
);
--> statement-breakpoint
CREATE INDEX "dashboard_links_community_idx" ON "dashboard_links" USING btree ("community_id","expires_at");--> statement-breakpoint
CREATE INDEX "dashboard_sessions_community_idx" ON "dashboard_sessions" USING btree ("community_id","expires_at");--> statement-breakpoint
CREATE INDEX "identity_links_linked_idx" ON "identity_links" USING btree ("linked_community_id","linked_member_id");--> statement-breakpoint
CREATE INDEX "members_email_idx" ON "members" USING btree (lower(trim("email")));