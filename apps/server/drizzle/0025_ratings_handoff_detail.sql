CREATE TABLE "conversation_ratings" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"score" integer NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversation_ratings_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "conversation_ratings_score_check" CHECK ("conversation_ratings"."score" between 1 and 5)
);
--> statement-breakpoint
ALTER TABLE "agent_actions" ALTER COLUMN "parameters" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "agent_actions" ALTER COLUMN "parameters" SET DEFAULT '{"type":"object","properties":{}}'::json;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "handoff_detail" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "handoff_summary" text;--> statement-breakpoint
ALTER TABLE "daily_aggregates" ADD COLUMN "csat_1" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_aggregates" ADD COLUMN "csat_2" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_aggregates" ADD COLUMN "csat_3" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_aggregates" ADD COLUMN "csat_4" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_aggregates" ADD COLUMN "csat_5" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "conversation_ratings" ADD CONSTRAINT "conversation_ratings_org_id_conversation_id_conversations_org_id_id_fk" FOREIGN KEY ("org_id","conversation_id") REFERENCES "public"."conversations"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "conversation_ratings_conversation_idx" ON "conversation_ratings" USING btree ("org_id","conversation_id");--> statement-breakpoint
CREATE INDEX "conversation_ratings_created_idx" ON "conversation_ratings" USING btree ("org_id","created_at");