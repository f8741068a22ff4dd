CREATE TABLE "usage_limits" (
	"org_id" uuid NOT NULL,
	"set_by_org_id" uuid NOT NULL,
	"monthly_messages" integer,
	"monthly_tokens" integer,
	"monthly_cost_usd" double precision,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_limits_org_id_set_by_org_id_pk" PRIMARY KEY("org_id","set_by_org_id"),
	CONSTRAINT "usage_limits_positive_check" CHECK (coalesce("usage_limits"."monthly_messages", 1) > 0 and coalesce("usage_limits"."monthly_tokens", 1) > 0 and coalesce("usage_limits"."monthly_cost_usd", 1) > 0)
);
--> statement-breakpoint
CREATE TABLE "usage_notices" (
	"org_id" uuid NOT NULL,
	"month" text NOT NULL,
	"threshold" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_notices_org_id_month_threshold_pk" PRIMARY KEY("org_id","month","threshold"),
	CONSTRAINT "usage_notices_threshold_check" CHECK ("usage_notices"."threshold" in (80, 100))
);
--> statement-breakpoint
ALTER TABLE "model_calls" ADD COLUMN "agent_id" uuid;--> statement-breakpoint
ALTER TABLE "model_calls" ADD COLUMN "cached_input_tokens" integer;--> statement-breakpoint
ALTER TABLE "model_calls" ADD COLUMN "cost_usd" double precision;--> statement-breakpoint
ALTER TABLE "daily_aggregates" ADD COLUMN "answers_model" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_aggregates" ADD COLUMN "answers_extractive" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_aggregates" ADD COLUMN "answers_handoff" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_aggregates" ADD COLUMN "model" text;--> statement-breakpoint
ALTER TABLE "daily_aggregates" ADD COLUMN "cost_usd" double precision;--> statement-breakpoint
ALTER TABLE "usage_limits" ADD CONSTRAINT "usage_limits_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_notices" ADD CONSTRAINT "usage_notices_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;