ALTER TABLE "model_calls" ADD COLUMN "audio_seconds" double precision;--> statement-breakpoint
ALTER TABLE "model_calls" ADD COLUMN "characters" integer;--> statement-breakpoint
ALTER TABLE "daily_aggregates" ADD COLUMN "audio_seconds" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_aggregates" ADD COLUMN "characters" bigint DEFAULT 0 NOT NULL;