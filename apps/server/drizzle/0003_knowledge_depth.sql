-- Trigram similarity for typo-tolerant search (a trusted extension: the database owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE TABLE "agent_sources" (
	"org_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"source_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_sources_org_id_agent_id_source_id_pk" PRIMARY KEY("org_id","agent_id","source_id")
);
--> statement-breakpoint
CREATE TABLE "blobs" (
	"org_id" uuid NOT NULL,
	"hash" text NOT NULL,
	"byte_size" integer NOT NULL,
	"mime_type" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "blobs_org_id_hash_pk" PRIMARY KEY("org_id","hash")
);
--> statement-breakpoint
CREATE TABLE "knowledge_embeddings" (
	"org_id" uuid NOT NULL,
	"chunk_id" uuid NOT NULL,
	"model" text NOT NULL,
	"dimensions" integer NOT NULL,
	"embedding" real[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "knowledge_embeddings_org_id_chunk_id_model_pk" PRIMARY KEY("org_id","chunk_id","model")
);
--> statement-breakpoint
CREATE TABLE "knowledge_pages" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"source_id" uuid NOT NULL,
	"url" text NOT NULL,
	"status" text NOT NULL,
	"title" text,
	"etag" text,
	"last_modified" text,
	"content_hash" text,
	"error" text,
	"fetched_at" timestamp with time zone,
	CONSTRAINT "knowledge_pages_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "knowledge_synonyms" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"terms" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "knowledge_synonyms_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
DROP INDEX "knowledge_chunks_source_idx";
--> statement-breakpoint
ALTER TABLE "knowledge_chunks" ADD COLUMN "version" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "knowledge_chunks" ADD COLUMN "language" text DEFAULT 'english' NOT NULL;
--> statement-breakpoint
ALTER TABLE "knowledge_chunks" drop column "search_vector";
--> statement-breakpoint
ALTER TABLE "knowledge_chunks" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector((case language when 'simple' then 'simple'::regconfig when 'arabic' then 'arabic'::regconfig when 'armenian' then 'armenian'::regconfig when 'basque' then 'basque'::regconfig when 'catalan' then 'catalan'::regconfig when 'danish' then 'danish'::regconfig when 'dutch' then 'dutch'::regconfig when 'english' then 'english'::regconfig when 'finnish' then 'finnish'::regconfig when 'french' then 'french'::regconfig when 'german' then 'german'::regconfig when 'greek' then 'greek'::regconfig when 'hindi' then 'hindi'::regconfig when 'hungarian' then 'hungarian'::regconfig when 'indonesian' then 'indonesian'::regconfig when 'irish' then 'irish'::regconfig when 'italian' then 'italian'::regconfig when 'lithuanian' then 'lithuanian'::regconfig when 'nepali' then 'nepali'::regconfig when 'norwegian' then 'norwegian'::regconfig when 'portuguese' then 'portuguese'::regconfig when 'romanian' then 'romanian'::regconfig when 'russian' then 'russian'::regconfig when 'serbian' then 'serbian'::regconfig when 'spanish' then 'spanish'::regconfig when 'swedish' then 'swedish'::regconfig when 'tamil' then 'tamil'::regconfig when 'turkish' then 'turkish'::regconfig when 'yiddish' then 'yiddish'::regconfig else 'simple'::regconfig end), coalesce(title, '')), 'A') || setweight(to_tsvector((case language when 'simple' then 'simple'::regconfig when 'arabic' then 'arabic'::regconfig when 'armenian' then 'armenian'::regconfig when 'basque' then 'basque'::regconfig when 'catalan' then 'catalan'::regconfig when 'danish' then 'danish'::regconfig when 'dutch' then 'dutch'::regconfig when 'english' then 'english'::regconfig when 'finnish' then 'finnish'::regconfig when 'french' then 'french'::regconfig when 'german' then 'german'::regconfig when 'greek' then 'greek'::regconfig when 'hindi' then 'hindi'::regconfig when 'hungarian' then 'hungarian'::regconfig when 'indonesian' then 'indonesian'::regconfig when 'irish' then 'irish'::regconfig when 'italian' then 'italian'::regconfig when 'lithuanian' then 'lithuanian'::regconfig when 'nepali' then 'nepali'::regconfig when 'norwegian' then 'norwegian'::regconfig when 'portuguese' then 'portuguese'::regconfig when 'romanian' then 'romanian'::regconfig when 'russian' then 'russian'::regconfig when 'serbian' then 'serbian'::regconfig when 'spanish' then 'spanish'::regconfig when 'swedish' then 'swedish'::regconfig when 'tamil' then 'tamil'::regconfig when 'turkish' then 'turkish'::regconfig when 'yiddish' then 'yiddish'::regconfig else 'simple'::regconfig end), coalesce(heading_path, '')), 'B') || setweight(to_tsvector((case language when 'simple' then 'simple'::regconfig when 'arabic' then 'arabic'::regconfig when 'armenian' then 'armenian'::regconfig when 'basque' then 'basque'::regconfig when 'catalan' then 'catalan'::regconfig when 'danish' then 'danish'::regconfig when 'dutch' then 'dutch'::regconfig when 'english' then 'english'::regconfig when 'finnish' then 'finnish'::regconfig when 'french' then 'french'::regconfig when 'german' then 'german'::regconfig when 'greek' then 'greek'::regconfig when 'hindi' then 'hindi'::regconfig when 'hungarian' then 'hungarian'::regconfig when 'indonesian' then 'indonesian'::regconfig when 'irish' then 'irish'::regconfig when 'italian' then 'italian'::regconfig when 'lithuanian' then 'lithuanian'::regconfig when 'nepali' then 'nepali'::regconfig when 'norwegian' then 'norwegian'::regconfig when 'portuguese' then 'portuguese'::regconfig when 'romanian' then 'romanian'::regconfig when 'russian' then 'russian'::regconfig when 'serbian' then 'serbian'::regconfig when 'spanish' then 'spanish'::regconfig when 'swedish' then 'swedish'::regconfig when 'tamil' then 'tamil'::regconfig when 'turkish' then 'turkish'::regconfig when 'yiddish' then 'yiddish'::regconfig else 'simple'::regconfig end), coalesce(content, '')), 'D')) STORED;
--> statement-breakpoint
CREATE INDEX "knowledge_chunks_search_idx" ON "knowledge_chunks" USING gin ("search_vector");
--> statement-breakpoint
ALTER TABLE "knowledge_chunks" ADD COLUMN "url" text;
--> statement-breakpoint
ALTER TABLE "knowledge_sources" ADD COLUMN "blob_hash" text;
--> statement-breakpoint
ALTER TABLE "knowledge_sources" ADD COLUMN "language" text DEFAULT 'english' NOT NULL;
--> statement-breakpoint
ALTER TABLE "knowledge_sources" ADD COLUMN "options" jsonb DEFAULT '{}'::jsonb NOT NULL;
--> statement-breakpoint
ALTER TABLE "knowledge_sources" ADD COLUMN "version" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "knowledge_sources" ADD COLUMN "pages_done" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "knowledge_sources" ADD COLUMN "pages_total" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "knowledge_sources" ADD COLUMN "last_indexed_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "knowledge_sources" ADD COLUMN "next_refresh_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "agent_sources" ADD CONSTRAINT "agent_sources_org_id_agent_id_agents_org_id_id_fk" FOREIGN KEY ("org_id","agent_id") REFERENCES "public"."agents"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "agent_sources" ADD CONSTRAINT "agent_sources_org_id_source_id_knowledge_sources_org_id_id_fk" FOREIGN KEY ("org_id","source_id") REFERENCES "public"."knowledge_sources"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "blobs" ADD CONSTRAINT "blobs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "knowledge_embeddings" ADD CONSTRAINT "knowledge_embeddings_org_id_chunk_id_knowledge_chunks_org_id_id_fk" FOREIGN KEY ("org_id","chunk_id") REFERENCES "public"."knowledge_chunks"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "knowledge_pages" ADD CONSTRAINT "knowledge_pages_org_id_source_id_knowledge_sources_org_id_id_fk" FOREIGN KEY ("org_id","source_id") REFERENCES "public"."knowledge_sources"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "knowledge_synonyms" ADD CONSTRAINT "knowledge_synonyms_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_pages_url_idx" ON "knowledge_pages" USING btree ("org_id","source_id","url");
--> statement-breakpoint
ALTER TABLE "knowledge_sources" ADD CONSTRAINT "knowledge_sources_org_id_blob_hash_blobs_org_id_hash_fk" FOREIGN KEY ("org_id","blob_hash") REFERENCES "public"."blobs"("org_id","hash") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "knowledge_chunks_title_trgm_idx" ON "knowledge_chunks" USING gin ("title" gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX "knowledge_sources_refresh_idx" ON "knowledge_sources" USING btree ("next_refresh_at");
--> statement-breakpoint
CREATE INDEX "knowledge_chunks_source_idx" ON "knowledge_chunks" USING btree ("org_id","source_id","version");
--> statement-breakpoint
ALTER TABLE "knowledge_sources" ADD CONSTRAINT "knowledge_sources_type_check" CHECK ("knowledge_sources"."type" in ('text','file','url','qa'));
