CREATE TABLE "pulse_weeks" (
	"community_id" text NOT NULL,
	"week_until" bigint NOT NULL,
	"computed_at" bigint NOT NULL,
	"not_counted" text NOT NULL,
	"figures" jsonb NOT NULL,
	CONSTRAINT "pulse_weeks_community_id_week_until_pk" PRIMARY KEY("community_id","week_until")
);
