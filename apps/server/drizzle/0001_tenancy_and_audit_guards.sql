-- Tenancy: row-level security driven by transaction-local settings (see src/db/tenancy.ts).
-- Settings are '' (never NULL) once set in a session, hence nullif.
CREATE OR REPLACE FUNCTION confidant_allowed_orgs() RETURNS uuid[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(string_to_array(nullif(current_setting('app.org_ids', true), ''), ',')::uuid[], '{}'::uuid[])
$$;
--> statement-breakpoint
-- Enables and forces RLS with a tenant policy on every table that has an org_id column. Idempotent;
-- run after every migration (src/db/migrate.ts) so a new tenant table can never ship without it.
CREATE OR REPLACE FUNCTION confidant_apply_tenant_policies() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE t text;
BEGIN
  FOR t IN
    SELECT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
    WHERE c.table_schema = current_schema() AND c.column_name = 'org_id' AND tb.table_type = 'BASE TABLE'
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = current_schema() AND tablename = t AND policyname = 'tenant_isolation') THEN
      EXECUTE format(
        'CREATE POLICY tenant_isolation ON %I USING (org_id = ANY (confidant_allowed_orgs())) WITH CHECK (org_id = ANY (confidant_allowed_orgs()))',
        t);
    END IF;
  END LOOP;
END
$$;
--> statement-breakpoint
SELECT confidant_apply_tenant_policies();
--> statement-breakpoint
-- Credential lookups: before the org is known, a transaction may see exactly the row whose secret
-- it presents (the SHA-256 of an API key or invitation token, or an agent's publishable key).
CREATE POLICY credential_lookup ON api_keys FOR SELECT
  USING (key_hash = nullif(current_setting('app.api_key_hash', true), ''));
--> statement-breakpoint
CREATE POLICY credential_lookup ON agents FOR SELECT
  USING (publishable_key = nullif(current_setting('app.publishable_key', true), ''));
--> statement-breakpoint
CREATE POLICY credential_lookup ON invitations FOR SELECT
  USING (token_hash = nullif(current_setting('app.invitation_token_hash', true), ''));
--> statement-breakpoint
-- The audit log is append-only, even for the table owner.
CREATE OR REPLACE FUNCTION confidant_audit_log_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP;
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION confidant_audit_log_immutable();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION confidant_audit_log_immutable();
