CREATE TABLE "action_calls" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"action_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"action_name" text NOT NULL,
	"conversation_id" uuid,
	"source" text NOT NULL,
	"outcome" text NOT NULL,
	"http_status" integer,
	"duration_ms" integer,
	"response_bytes" integer,
	"parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"pending_parameters_ciphertext" text,
	"decided_by_id" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "action_calls_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "action_calls_outcome_check" CHECK ("action_calls"."outcome" in ('ok','http_error','timeout','too_large','refused','failed','rejected','pending_approval')),
	CONSTRAINT "action_calls_source_check" CHECK ("action_calls"."source" in ('model','test'))
);
--> statement-breakpoint
CREATE TABLE "agent_actions" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"agent_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"method" text NOT NULL,
	"url_template" text NOT NULL,
	"parameters" jsonb DEFAULT '{"type":"object","properties":{}}'::jsonb NOT NULL,
	"header_names" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"headers_ciphertext" text,
	"requires_approval" boolean DEFAULT false NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"timeout_ms" integer DEFAULT 5000 NOT NULL,
	"max_response_bytes" integer DEFAULT 65536 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_actions_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "agent_actions_method_check" CHECK ("agent_actions"."method" in ('GET','POST','PUT','PATCH','DELETE')),
	CONSTRAINT "agent_actions_name_check" CHECK ("agent_actions"."name" ~ '^[a-z][a-z0-9_]{0,63}$')
);
--> statement-breakpoint
ALTER TABLE "action_calls" ADD CONSTRAINT "action_calls_decided_by_id_users_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_calls" ADD CONSTRAINT "action_calls_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_calls" ADD CONSTRAINT "action_calls_org_id_action_id_agent_actions_org_id_id_fk" FOREIGN KEY ("org_id","action_id") REFERENCES "public"."agent_actions"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_calls" ADD CONSTRAINT "action_calls_org_id_conversation_id_conversations_org_id_id_fk" FOREIGN KEY ("org_id","conversation_id") REFERENCES "public"."conversations"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_actions" ADD CONSTRAINT "agent_actions_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_actions" ADD CONSTRAINT "agent_actions_org_id_agent_id_agents_org_id_id_fk" FOREIGN KEY ("org_id","agent_id") REFERENCES "public"."agents"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "action_calls_action_idx" ON "action_calls" USING btree ("org_id","action_id","created_at");--> statement-breakpoint
CREATE INDEX "action_calls_conversation_idx" ON "action_calls" USING btree ("org_id","conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "action_calls_pending_idx" ON "action_calls" USING btree ("org_id","created_at") WHERE "action_calls"."outcome" = 'pending_approval';--> statement-breakpoint
CREATE UNIQUE INDEX "agent_actions_name_idx" ON "agent_actions" USING btree ("org_id","agent_id","name");