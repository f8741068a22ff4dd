-- Hand-edited: SET NULL ("provider_id") (PostgreSQL 15+) nulls only the provider, never org_id.
ALTER TABLE "model_calls" ADD COLUMN "provider_id" uuid;--> statement-breakpoint
ALTER TABLE "model_calls" ADD COLUMN "provider_kind" text;--> statement-breakpoint
ALTER TABLE "model_providers" ADD COLUMN "timeout_ms" integer DEFAULT 30000 NOT NULL;--> statement-breakpoint
ALTER TABLE "model_providers" ADD COLUMN "max_retries" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_aggregates" ADD COLUMN "provider_id" uuid;--> statement-breakpoint
ALTER TABLE "daily_aggregates" ADD COLUMN "provider_kind" text;--> statement-breakpoint
ALTER TABLE "model_calls" ADD CONSTRAINT "model_calls_org_id_provider_id_model_providers_org_id_id_fk" FOREIGN KEY ("org_id","provider_id") REFERENCES "public"."model_providers"("org_id","id") ON DELETE SET NULL ("provider_id") ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "model_calls_provider_idx" ON "model_calls" USING btree ("org_id","provider_id");