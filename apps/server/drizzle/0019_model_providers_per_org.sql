DROP INDEX "model_providers_org_idx";--> statement-breakpoint
ALTER TABLE "model_providers" ALTER COLUMN "base_url" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "model" jsonb;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "fallbacks" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "model_providers" ADD COLUMN "kind" text DEFAULT 'openai-compatible' NOT NULL;--> statement-breakpoint
ALTER TABLE "model_providers" ADD COLUMN "name" text DEFAULT 'Default' NOT NULL;--> statement-breakpoint
ALTER TABLE "model_providers" ADD COLUMN "region" text;--> statement-breakpoint
ALTER TABLE "model_providers" ADD COLUMN "models" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "model_providers_org_created_idx" ON "model_providers" USING btree ("org_id","created_at");--> statement-breakpoint
-- The single provider each org had becomes its first (default) provider: its model is its chat model.
UPDATE "model_providers" SET "models" = jsonb_build_array(jsonb_build_object('id', "model", 'type', 'chat'));--> statement-breakpoint
ALTER TABLE "model_providers" DROP COLUMN "model";