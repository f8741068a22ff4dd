CREATE TABLE "agent_flows" (
	"org_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"steps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_flows_org_id_agent_id_pk" PRIMARY KEY("org_id","agent_id")
);
--> statement-breakpoint
CREATE TABLE "captured_values" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"consent_id" uuid NOT NULL,
	"field_key" text NOT NULL,
	"field_kind" text NOT NULL,
	"label" text NOT NULL,
	"purpose" text NOT NULL,
	"value_ciphertext" text NOT NULL,
	"value_hash" text,
	"captured_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "captured_values_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "captured_values_kind_check" CHECK ("captured_values"."field_kind" in ('name','email','phone','text','select','custom'))
);
--> statement-breakpoint
CREATE TABLE "consent_records" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"step_id" text NOT NULL,
	"purpose" text NOT NULL,
	"notice_hash" text NOT NULL,
	"notice_version" integer NOT NULL,
	"method" text NOT NULL,
	"outcome" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_at" timestamp with time zone,
	CONSTRAINT "consent_records_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "consent_records_method_check" CHECK ("consent_records"."method" in ('checkbox','identify','gpc')),
	CONSTRAINT "consent_records_outcome_check" CHECK ("consent_records"."outcome" in ('granted','declined','refused'))
);
--> statement-breakpoint
ALTER TABLE "agent_flows" ADD CONSTRAINT "agent_flows_org_id_agent_id_agents_org_id_id_fk" FOREIGN KEY ("org_id","agent_id") REFERENCES "public"."agents"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "captured_values" ADD CONSTRAINT "captured_values_org_id_conversation_id_conversations_org_id_id_fk" FOREIGN KEY ("org_id","conversation_id") REFERENCES "public"."conversations"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "captured_values" ADD CONSTRAINT "captured_values_org_id_consent_id_consent_records_org_id_id_fk" FOREIGN KEY ("org_id","consent_id") REFERENCES "public"."consent_records"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_records" ADD CONSTRAINT "consent_records_org_id_conversation_id_conversations_org_id_id_fk" FOREIGN KEY ("org_id","conversation_id") REFERENCES "public"."conversations"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "captured_values_conversation_idx" ON "captured_values" USING btree ("org_id","conversation_id");--> statement-breakpoint
CREATE INDEX "captured_values_hash_idx" ON "captured_values" USING btree ("org_id","value_hash");--> statement-breakpoint
CREATE INDEX "consent_records_conversation_idx" ON "consent_records" USING btree ("org_id","conversation_id","recorded_at");