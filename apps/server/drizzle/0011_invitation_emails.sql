ALTER TABLE "notifications" ADD COLUMN "sealed_body" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "sealed_until" timestamp with time zone;