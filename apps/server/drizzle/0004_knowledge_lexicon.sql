CREATE TABLE "knowledge_lexicon" (
	"org_id" uuid NOT NULL,
	"language" text NOT NULL,
	"lexeme" text NOT NULL,
	"chunks" integer NOT NULL,
	CONSTRAINT "knowledge_lexicon_org_id_language_lexeme_pk" PRIMARY KEY("org_id","language","lexeme")
);
--> statement-breakpoint
ALTER TABLE "knowledge_lexicon" ADD CONSTRAINT "knowledge_lexicon_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "knowledge_lexicon_trgm_idx" ON "knowledge_lexicon" USING gin ("lexeme" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "knowledge_lexicon_totals_idx" ON "knowledge_lexicon" USING btree ("org_id") WHERE "knowledge_lexicon"."lexeme" = '';--> statement-breakpoint
-- Keeps knowledge_lexicon equal to the lexemes of knowledge_chunks (see schema/knowledge-lexicon.ts):
-- statement triggers with transition tables, so a batch insert is one grouped upsert, not one per
-- row. Writers of one organization's chunks take a transaction-level advisory lock on the org
-- first, so concurrent ingestions update shared lexicon rows one after the other and cannot
-- deadlock on them. Runs as the invoking role: row-level security applies as usual.
CREATE OR REPLACE FUNCTION confidant_knowledge_lexicon_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    PERFORM pg_advisory_xact_lock(hashtextextended('knowledge_lexicon:' || o.org_id::text, 0))
    FROM (SELECT DISTINCT org_id FROM old_chunks ORDER BY org_id) o;
    WITH gone AS (
      SELECT org_id, language, lexeme, count(*)::int AS n
      FROM old_chunks, unnest(tsvector_to_array(search_vector)) AS lexeme
      GROUP BY org_id, language, lexeme
      UNION ALL
      SELECT org_id, language, '', count(*)::int FROM old_chunks GROUP BY org_id, language
    )
    UPDATE knowledge_lexicon l SET chunks = l.chunks - gone.n
    FROM gone
    WHERE l.org_id = gone.org_id AND l.language = gone.language AND l.lexeme = gone.lexeme;
    DELETE FROM knowledge_lexicon l
    USING (
      SELECT DISTINCT org_id, language, lexeme
      FROM old_chunks, unnest(tsvector_to_array(search_vector) || '{""}'::text[]) AS lexeme
    ) gone
    WHERE l.org_id = gone.org_id AND l.language = gone.language AND l.lexeme = gone.lexeme AND l.chunks <= 0;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM pg_advisory_xact_lock(hashtextextended('knowledge_lexicon:' || o.org_id::text, 0))
    FROM (SELECT DISTINCT org_id FROM new_chunks ORDER BY org_id) o;
    INSERT INTO knowledge_lexicon AS l (org_id, language, lexeme, chunks)
    SELECT org_id, language, lexeme, count(*)::int
    FROM new_chunks, unnest(tsvector_to_array(search_vector)) AS lexeme
    GROUP BY org_id, language, lexeme
    UNION ALL
    SELECT org_id, language, '', count(*)::int FROM new_chunks GROUP BY org_id, language
    ON CONFLICT (org_id, language, lexeme) DO UPDATE SET chunks = l.chunks + excluded.chunks;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER knowledge_lexicon_on_insert AFTER INSERT ON knowledge_chunks
  REFERENCING NEW TABLE AS new_chunks FOR EACH STATEMENT EXECUTE FUNCTION confidant_knowledge_lexicon_sync();
--> statement-breakpoint
CREATE TRIGGER knowledge_lexicon_on_delete AFTER DELETE ON knowledge_chunks
  REFERENCING OLD TABLE AS old_chunks FOR EACH STATEMENT EXECUTE FUNCTION confidant_knowledge_lexicon_sync();
--> statement-breakpoint
CREATE TRIGGER knowledge_lexicon_on_update AFTER UPDATE ON knowledge_chunks
  REFERENCING OLD TABLE AS old_chunks NEW TABLE AS new_chunks FOR EACH STATEMENT EXECUTE FUNCTION confidant_knowledge_lexicon_sync();
--> statement-breakpoint
-- Existing chunks: the policies of knowledge_chunks show rows only for the orgs named in
-- app.org_ids, so name them all, for this transaction only.
DO $$
BEGIN
  PERFORM set_config('app.org_ids', coalesce((SELECT string_agg(id::text, ',') FROM organizations), ''), true);
  INSERT INTO knowledge_lexicon (org_id, language, lexeme, chunks)
  SELECT org_id, language, lexeme, count(*)::int
  FROM knowledge_chunks, unnest(tsvector_to_array(search_vector) || '{""}'::text[]) AS lexeme
  GROUP BY org_id, language, lexeme;
  PERFORM set_config('app.org_ids', '', true);
END
$$;
