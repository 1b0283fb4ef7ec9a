CREATE TABLE "deliveries" (
	"community_id" text NOT NULL,
	"key" text NOT NULL,
	"received_at" bigint NOT NULL,
	"lease_until" bigint,
	"done_at" bigint,
	CONSTRAINT "deliveries_community_id_key_pk" PRIMARY KEY("community_id","key")
);
--> statement-breakpoint
CREATE INDEX "deliveries_received_idx" ON "deliveries" USING btree ("community_id","received_at");