-- Hand-edited: SET NULL ("embedding_provider_id") (PostgreSQL 15+) nulls only the provider, never org_id.
CREATE TABLE "knowledge_settings" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"embedding_provider_id" uuid,
	"embedding_model" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "knowledge_settings_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "knowledge_settings_embedding_check" CHECK ("knowledge_settings"."embedding_provider_id" is null or "knowledge_settings"."embedding_model" is not null)
);
--> statement-breakpoint
ALTER TABLE "knowledge_settings" ADD CONSTRAINT "knowledge_settings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_settings" ADD CONSTRAINT "knowledge_settings_org_id_embedding_provider_id_model_providers_org_id_id_fk" FOREIGN KEY ("org_id","embedding_provider_id") REFERENCES "public"."model_providers"("org_id","id") ON DELETE SET NULL ("embedding_provider_id") ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_settings_org_idx" ON "knowledge_settings" USING btree ("org_id");