CREATE TABLE "agent_identity_secrets" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"agent_id" uuid NOT NULL,
	"secret_ciphertext" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_identity_secrets_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "privacy_requests" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_hash" text NOT NULL,
	"subject_masked" text NOT NULL,
	"subject_ciphertext" text,
	"conversation_ids" jsonb,
	"note" text,
	"status" text DEFAULT 'queued' NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error_code" text,
	"requested_by_type" text NOT NULL,
	"requested_by_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"export_blob_hash" text,
	"export_key_ciphertext" text,
	"export_expires_at" timestamp with time zone,
	CONSTRAINT "privacy_requests_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "privacy_requests_type_check" CHECK ("privacy_requests"."type" in ('export','erasure')),
	CONSTRAINT "privacy_requests_status_check" CHECK ("privacy_requests"."status" in ('queued','running','completed','failed')),
	CONSTRAINT "privacy_requests_subject_kind_check" CHECK ("privacy_requests"."subject_kind" in ('email','phone','userId','conversationId')),
	CONSTRAINT "privacy_requests_progress_check" CHECK ("privacy_requests"."progress" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "visitor_identities" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"user_id_hash" text NOT NULL,
	"email_hash" text,
	"user_id_ciphertext" text NOT NULL,
	"email_ciphertext" text,
	"name_ciphertext" text,
	"verified_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visitor_identities_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "visitor_contacts" ADD COLUMN "email_hash" text;--> statement-breakpoint
ALTER TABLE "agent_identity_secrets" ADD CONSTRAINT "agent_identity_secrets_org_id_agent_id_agents_org_id_id_fk" FOREIGN KEY ("org_id","agent_id") REFERENCES "public"."agents"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_requests" ADD CONSTRAINT "privacy_requests_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visitor_identities" ADD CONSTRAINT "visitor_identities_org_id_conversation_id_conversations_org_id_id_fk" FOREIGN KEY ("org_id","conversation_id") REFERENCES "public"."conversations"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agent_identity_secrets_agent_idx" ON "agent_identity_secrets" USING btree ("org_id","agent_id");--> statement-breakpoint
CREATE INDEX "privacy_requests_created_idx" ON "privacy_requests" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "privacy_requests_subject_idx" ON "privacy_requests" USING btree ("org_id","subject_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "visitor_identities_conversation_idx" ON "visitor_identities" USING btree ("org_id","conversation_id");--> statement-breakpoint
CREATE INDEX "visitor_identities_user_idx" ON "visitor_identities" USING btree ("org_id","user_id_hash");--> statement-breakpoint
CREATE INDEX "visitor_identities_email_idx" ON "visitor_identities" USING btree ("org_id","email_hash");--> statement-breakpoint
CREATE INDEX "visitor_contacts_email_hash_idx" ON "visitor_contacts" USING btree ("org_id","email_hash");