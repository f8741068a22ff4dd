ALTER TABLE "agents" ADD COLUMN "accent_color" text DEFAULT '#0f766e' NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "position" text DEFAULT 'bottom-right' NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "launcher_label" text;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "avatar_hash" text;--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_org_id_avatar_hash_blobs_org_id_hash_fk" FOREIGN KEY ("org_id","avatar_hash") REFERENCES "public"."blobs"("org_id","hash") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_position_check" CHECK ("agents"."position" in ('bottom-right','bottom-left'));--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_accent_color_check" CHECK ("agents"."accent_color" ~ '^#[0-9a-f]{6}$');