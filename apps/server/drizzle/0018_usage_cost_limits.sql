ALTER TABLE "daily_aggregates" ADD COLUMN "answers_model" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_aggregates" ADD COLUMN "answers_extractive" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_aggregates" ADD COLUMN "answers_handoff" integer DEFAULT 0 NOT NULL;