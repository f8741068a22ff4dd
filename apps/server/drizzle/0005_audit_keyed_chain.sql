ALTER TABLE "audit_log" ADD COLUMN "key_version" integer;--> statement-breakpoint
-- The audit log stays append-only, with exactly one exception: the one-time re-seal of a legacy
-- entry (plain SHA-256, key_version NULL) with the keyed MAC, done by the application at boot
-- (src/modules/audit/reseal-legacy-chains.ts) inside a transaction that sets app.audit_reseal.
-- That UPDATE may only give a legacy entry a key version and new hash links; every recorded field
-- stays as it was. The setting is no secret (any role may set it): it guards against mistakes, and
-- the keyed MAC, not this trigger, is what a database owner cannot forge.
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
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP;
END
$$;
