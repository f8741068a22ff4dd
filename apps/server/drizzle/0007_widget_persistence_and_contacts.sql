CREATE TABLE "visitor_contacts" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"email" text NOT NULL,
	"purpose" text NOT NULL,
	"consent_text_hash" text NOT NULL,
	"consented_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_at" timestamp with time zone,
	CONSTRAINT "visitor_contacts_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "visitor_contacts_purpose_check" CHECK ("visitor_contacts"."purpose" in ('reply_by_email'))
);
--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "persistence" text DEFAULT 'tab' NOT NULL;--> statement-breakpoint
ALTER TABLE "visitor_contacts" ADD CONSTRAINT "visitor_contacts_org_id_conversation_id_conversations_org_id_id_fk" FOREIGN KEY ("org_id","conversation_id") REFERENCES "public"."conversations"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "visitor_contacts_conversation_purpose_idx" ON "visitor_contacts" USING btree ("org_id","conversation_id","purpose");--> statement-breakpoint
CREATE INDEX "visitor_contacts_email_idx" ON "visitor_contacts" USING btree ("org_id","email");--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_persistence_check" CHECK ("agents"."persistence" in ('none','tab','device'));