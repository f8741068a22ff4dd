ALTER TABLE "users" ADD COLUMN "deletion_scheduled_at" timestamp with time zone;--> statement-breakpoint
-- Organizations (deleted_at) and console users (deletion_scheduled_at) are deleted in two steps:
-- scheduled (everything refused, restorable for 30 days), then erased by the hard-delete job
-- (src/modules/orgs/deletion/hard-delete-org.ts). The erased org's own audit chain goes with it,
-- so the log stays append-only with exactly two exceptions: the one-time re-seal of a legacy entry
-- (0005), and DELETE of the rows of the one org named by app.org_hard_delete, which only the
-- hard-delete transaction sets. Like app.audit_reseal the setting is no secret: it guards against
-- mistakes; the platform's chain records every hard delete (ids and counts).
CREATE OR REPLACE FUNCTION confidant_audit_log_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('app.audit_reseal', true) = 'on' THEN
    IF OLD.key_version IS NULL AND NEW.key_version IS NOT NULL
       AND (NEW.org_id, NEW.seq, NEW.at, NEW.actor_type, NEW.actor_id, NEW.action, NEW.target_type, NEW.target_id, NEW.metadata)
           IS NOT DISTINCT FROM
           (OLD.org_id, OLD.seq, OLD.at, OLD.actor_type, OLD.actor_id, OLD.action, OLD.target_type, OLD.target_id, OLD.metadata)
    THEN
      RETURN NEW;
    END IF;
  END IF;
  IF TG_OP = 'DELETE' AND OLD.org_id::text = nullif(current_setting('app.org_hard_delete', true), '') THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP;
END
$$;
