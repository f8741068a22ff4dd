import type { KnowledgeSource, SynonymGroup } from '@confidant/contract';
import { queryOptions } from '@tanstack/react-query';
import { request } from '../api/client';

/** Keys start with the org id, like every console query (api/queries.ts). */
export const knowledgeKeys = {
  sources: (orgId: string) => [orgId, 'knowledge', 'sources'] as const,
  synonyms: (orgId: string) => [orgId, 'knowledge', 'synonyms'] as const,
};

/** How often the list is read again while something is being indexed: progress bars move live. */
export const INDEXING_POLL_MS = 1000;

export const isIndexing = (source: KnowledgeSource) =>
  source.status === 'queued' || source.status === 'processing';

/**
 * The org's sources, newest first. Polled about every second while any source is queued or
 * processing, and not at all once every source has settled (ready or failed).
 */
export const sourcesQuery = (orgId: string) =>
  queryOptions({
    queryKey: knowledgeKeys.sources(orgId),
    queryFn: ({ signal }) =>
      request<{ sources: KnowledgeSource[] }>('/v1/knowledge/sources', { orgId, signal }),
    select: (data) => data.sources,
    refetchInterval: (query) => (query.state.data?.sources.some(isIndexing) ? INDEXING_POLL_MS : false),
  });

/** Synonym groups are search configuration: admins and owners only (the server refuses others). */
export const synonymsQuery = (orgId: string) =>
  queryOptions({
    queryKey: knowledgeKeys.synonyms(orgId),
    queryFn: ({ signal }) => request<{ groups: SynonymGroup[] }>('/v1/knowledge/synonyms', { orgId, signal }),
    select: (data) => data.groups,
  });
