CREATE TABLE "incident_reminders" (
	"org_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"hours" integer NOT NULL,
	"notified" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incident_reminders_org_id_incident_id_hours_pk" PRIMARY KEY("org_id","incident_id","hours"),
	CONSTRAINT "incident_reminders_hours_check" CHECK ("incident_reminders"."hours" in (24, 48, 66, 72))
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"platform_incident_id" uuid,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"occurred_at" timestamp with time zone,
	"aware_at" timestamp with time zone NOT NULL,
	"data_categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"subjects_affected" integer,
	"records_affected" integer,
	"consequences" text DEFAULT '' NOT NULL,
	"measures" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"not_notifiable_reason" text,
	"authority_notified_at" timestamp with time zone,
	"subjects_notified_at" timestamp with time zone,
	"delay_reason" text,
	"contact_point" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incidents_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "incidents_status_check" CHECK ("incidents"."status" in ('open','contained','notified','closed','not_notifiable')),
	CONSTRAINT "incidents_not_notifiable_reason_check" CHECK ("incidents"."status" <> 'not_notifiable' or "incidents"."not_notifiable_reason" is not null),
	CONSTRAINT "incidents_counts_check" CHECK (coalesce("incidents"."subjects_affected", 0) >= 0 and coalesce("incidents"."records_affected", 0) >= 0)
);
--> statement-breakpoint
ALTER TABLE "incident_reminders" ADD CONSTRAINT "incident_reminders_org_id_incident_id_incidents_org_id_id_fk" FOREIGN KEY ("org_id","incident_id") REFERENCES "public"."incidents"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incidents_org_aware_idx" ON "incidents" USING btree ("org_id","aware_at");