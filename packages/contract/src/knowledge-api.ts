import type { Citation } from './citation.js';

/**
 * Wire shapes of the knowledge API the console reads (mirrors modules/knowledge/routes.ts,
 * knowledge/search/synonyms-routes.ts and answers/playground-routes.ts).
 */

export type KnowledgeSourceType = 'text' | 'file' | 'url' | 'qa';
export type KnowledgeSourceStatus = 'queued' | 'processing' | 'ready' | 'failed';

/** GET /v1/knowledge/sources(/{id}). */
export type KnowledgeSource = {
  id: string;
  type: KnowledgeSourceType;
  title: string;
  status: KnowledgeSourceStatus;
  progress: { chunksDone: number; chunksTotal: number; pagesDone: number; pagesTotal: number };
  /** Why indexing failed, in words (status `failed`). */
  error: string | null;
  lastIndexedAt: string | null;
  nextRefreshAt: string | null;
  createdAt: string;
  updatedAt: string;
  fileName?: string;
  url?: string;
  byteSize: number;
};

/** GET /v1/knowledge/synonyms. */
export type SynonymGroup = { id: string; terms: string[]; createdAt: string };

/** One passage retrieval considered for a playground question. */
export type PlaygroundPassage = {
  chunkId: string;
  sourceId: string;
  title: string;
  headingPath: string;
  snippet: string;
  score: number;
  coverage: number;
  informative: boolean;
  cited: boolean;
};

/** POST /v1/knowledge/playground: the answer the widget would give, and why. */
export type PlaygroundAnswer = {
  agentId: string | null;
  answerMode: 'extractive' | 'model';
  text: string;
  mode: 'extractive' | 'model' | 'handoff';
  handoff: 'requested' | 'low_confidence' | 'rule' | null;
  citations: Citation[];
  confident: boolean;
  passages: PlaygroundPassage[];
};

/** A model at one of the org's providers (`providerId` null: the server's own model). */
export type EmbeddingModelRef = { providerId: string | null; model: string };

/** GET|PUT /v1/knowledge/embedding-model: which model knowledge search embeds with. */
export type EmbeddingModelSettings = {
  /** The org's own choice; null: the server's model (`serverModel`) when there is one. */
  choice: EmbeddingModelRef | null;
  /** What chunks and queries are embedded with now; null: lexical search only (`reason`). */
  active: EmbeddingModelRef | null;
  /** The operator's CONFIDANT_EMBEDDING_MODEL, if configured. */
  serverModel: string | null;
  reason: string | null;
  /** Searchable chunks with a vector of the active model (re-embedding runs after a change). */
  progress: { embedded: number; total: number };
};
