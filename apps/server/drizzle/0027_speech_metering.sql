ALTER TABLE "model_calls" ADD COLUMN "audio_seconds" double precision;--> statement-breakpoint
ALTER TABLE "model_calls" ADD COLUMN "characters" integer;