ALTER TABLE "agents" ADD COLUMN "store_transcripts" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "ephemeral" boolean DEFAULT false NOT NULL;