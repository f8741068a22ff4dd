CREATE TABLE "daily_aggregates" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"day" date NOT NULL,
	"agent_id" uuid,
	"conversations" integer DEFAULT 0 NOT NULL,
	"messages" integer DEFAULT 0 NOT NULL,
	"handoffs" integer DEFAULT 0 NOT NULL,
	"resolved_without_person" integer DEFAULT 0 NOT NULL,
	"first_response_seconds" double precision[] DEFAULT '{}'::double precision[] NOT NULL,
	"csat_sum" integer,
	"csat_count" integer,
	"tokens_in" bigint DEFAULT 0 NOT NULL,
	"tokens_out" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "daily_aggregates_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "retention_caps" (
	"org_id" uuid NOT NULL,
	"category" text NOT NULL,
	"set_by_org_id" uuid NOT NULL,
	"max_days" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "retention_caps_org_id_category_set_by_org_id_pk" PRIMARY KEY("org_id","category","set_by_org_id"),
	CONSTRAINT "retention_caps_category_check" CHECK ("retention_caps"."category" in ('transcripts','contacts','notification_outbox','model_calls','job_payloads')),
	CONSTRAINT "retention_caps_max_days_check" CHECK ("retention_caps"."max_days" between 1 and 3650)
);
--> statement-breakpoint
CREATE TABLE "retention_rules" (
	"org_id" uuid NOT NULL,
	"category" text NOT NULL,
	"days" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "retention_rules_org_id_category_pk" PRIMARY KEY("org_id","category"),
	CONSTRAINT "retention_rules_category_check" CHECK ("retention_rules"."category" in ('transcripts','contacts','notification_outbox','model_calls','job_payloads')),
	CONSTRAINT "retention_rules_days_check" CHECK ("retention_rules"."days" is null or "retention_rules"."days" between 1 and 3650)
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "legal_hold_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "legal_hold_reason" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "legal_hold_by_id" uuid;--> statement-breakpoint
ALTER TABLE "daily_aggregates" ADD CONSTRAINT "daily_aggregates_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_caps" ADD CONSTRAINT "retention_caps_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_rules" ADD CONSTRAINT "retention_rules_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "daily_aggregates_day_idx" ON "daily_aggregates" USING btree ("org_id","day");--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_legal_hold_by_id_users_id_fk" FOREIGN KEY ("legal_hold_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_legal_hold_check" CHECK (("conversations"."legal_hold_at" is null) = ("conversations"."legal_hold_reason" is null));