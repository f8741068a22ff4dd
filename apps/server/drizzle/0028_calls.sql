-- Call analysis. RLS (tenant_isolation, enabled and forced) is applied to these tables by
-- confidant_apply_tenant_policies() after migrating (platform/db/migrate.ts).
CREATE TABLE "call_coaching" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"call_id" uuid NOT NULL,
	"coaching_ciphertext" text NOT NULL,
	"provider_id" uuid,
	"model" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_coaching_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "call_metrics" (
	"org_id" uuid NOT NULL,
	"call_id" uuid NOT NULL,
	"metrics" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_metrics_org_id_call_id_pk" PRIMARY KEY("org_id","call_id")
);
--> statement-breakpoint
CREATE TABLE "call_recordings" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"call_id" uuid NOT NULL,
	"blob_key" text NOT NULL,
	"wrapped_key" text NOT NULL,
	"key_version" integer NOT NULL,
	"media_type" text NOT NULL,
	"byte_size" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_recordings_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "call_scores" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"call_id" uuid NOT NULL,
	"rubric_id" uuid NOT NULL,
	"rubric_name" text NOT NULL,
	"total" double precision NOT NULL,
	"criteria" jsonb NOT NULL,
	"details_ciphertext" text NOT NULL,
	"provider_id" uuid,
	"model" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_scores_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "call_segments" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"call_id" uuid NOT NULL,
	"index" integer NOT NULL,
	"start_seconds" double precision NOT NULL,
	"end_seconds" double precision NOT NULL,
	"speaker" text NOT NULL,
	"text_ciphertext" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_segments_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "call_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"transcription_provider_id" uuid,
	"transcription_model" text,
	"scoring_provider_id" uuid,
	"scoring_model" text,
	"default_rubric_id" uuid,
	"max_bytes" bigint,
	"max_duration_seconds" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calls" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"rep_name" text,
	"status" text DEFAULT 'queued' NOT NULL,
	"progress" double precision DEFAULT 0 NOT NULL,
	"error" text,
	"media_type" text NOT NULL,
	"byte_size" bigint NOT NULL,
	"duration_seconds" double precision,
	"language" text,
	"rubric_id" uuid,
	"rep_speaker" text DEFAULT 'A' NOT NULL,
	"diarized" boolean DEFAULT false NOT NULL,
	"score" double precision,
	"customer_email_hash" text,
	"customer_email_ciphertext" text,
	"customer_phone_hash" text,
	"customer_phone_ciphertext" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	CONSTRAINT "calls_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "calls_status_check" CHECK ("calls"."status" in ('queued','transcribing','analyzing','ready','failed'))
);
--> statement-breakpoint
CREATE TABLE "rubrics" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"scale_min" integer DEFAULT 1 NOT NULL,
	"scale_max" integer DEFAULT 5 NOT NULL,
	"criteria" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rubrics_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "rubrics_scale_check" CHECK ("rubrics"."scale_min" < "rubrics"."scale_max")
);
--> statement-breakpoint
ALTER TABLE "retention_caps" DROP CONSTRAINT "retention_caps_category_check";--> statement-breakpoint
ALTER TABLE "retention_rules" DROP CONSTRAINT "retention_rules_category_check";--> statement-breakpoint
ALTER TABLE "call_coaching" ADD CONSTRAINT "call_coaching_org_id_call_id_calls_org_id_id_fk" FOREIGN KEY ("org_id","call_id") REFERENCES "public"."calls"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_metrics" ADD CONSTRAINT "call_metrics_org_id_call_id_calls_org_id_id_fk" FOREIGN KEY ("org_id","call_id") REFERENCES "public"."calls"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_recordings" ADD CONSTRAINT "call_recordings_org_id_call_id_calls_org_id_id_fk" FOREIGN KEY ("org_id","call_id") REFERENCES "public"."calls"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_scores" ADD CONSTRAINT "call_scores_org_id_call_id_calls_org_id_id_fk" FOREIGN KEY ("org_id","call_id") REFERENCES "public"."calls"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_segments" ADD CONSTRAINT "call_segments_org_id_call_id_calls_org_id_id_fk" FOREIGN KEY ("org_id","call_id") REFERENCES "public"."calls"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_settings" ADD CONSTRAINT "call_settings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rubrics" ADD CONSTRAINT "rubrics_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "call_coaching_call_idx" ON "call_coaching" USING btree ("org_id","call_id");--> statement-breakpoint
CREATE UNIQUE INDEX "call_recordings_call_idx" ON "call_recordings" USING btree ("org_id","call_id");--> statement-breakpoint
CREATE INDEX "call_scores_call_idx" ON "call_scores" USING btree ("org_id","call_id");--> statement-breakpoint
CREATE UNIQUE INDEX "call_segments_call_idx" ON "call_segments" USING btree ("org_id","call_id","index");--> statement-breakpoint
CREATE INDEX "calls_org_created_idx" ON "calls" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "calls_rep_idx" ON "calls" USING btree ("org_id","rep_name");--> statement-breakpoint
CREATE INDEX "calls_customer_email_idx" ON "calls" USING btree ("org_id","customer_email_hash");--> statement-breakpoint
CREATE INDEX "calls_customer_phone_idx" ON "calls" USING btree ("org_id","customer_phone_hash");--> statement-breakpoint
ALTER TABLE "retention_caps" ADD CONSTRAINT "retention_caps_category_check" CHECK ("retention_caps"."category" in ('transcripts','contacts','notification_outbox','model_calls','job_payloads','recordings','call_transcripts'));--> statement-breakpoint
ALTER TABLE "retention_rules" ADD CONSTRAINT "retention_rules_category_check" CHECK ("retention_rules"."category" in ('transcripts','contacts','notification_outbox','model_calls','job_payloads','recordings','call_transcripts'));