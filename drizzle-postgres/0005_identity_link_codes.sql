CREATE TABLE "identity_link_codes" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"community_id" text NOT NULL,
	"member_id" text NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint
);
--> statement-breakpoint
CREATE INDEX "identity_link_codes_member_idx" ON "identity_link_codes" USING btree ("community_id","member_id");--> statement-breakpoint
CREATE INDEX "identity_link_codes_expires_idx" ON "identity_link_codes" USING btree ("expires_at");