import type {
  Agent,
  ApiKey,
  AuditCheckpointPage,
  AuditPage,
  AuditVerification,
  CannedResponse,
  ConversationDetail,
  ConversationList,
  InboxCounts,
  InboxView,
  Invitation,
  Me,
  Member,
  RelatedConversations,
  UsageDay,
  UsageGroupBy,
  UsageLimitsView,
  UsageReport,
} from '@confidant/contract';
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { request } from './client';

/**
 * Query keys and fetchers, one place. Keys start with the org id so switching organizations
 * never shows another org's cached data, and invalidating `[orgId, 'conversations']` refreshes
 * every list and count of that org.
 */
export const queryKeys = {
  me: ['me'] as const,
  conversations: (orgId: string) => [orgId, 'conversations'] as const,
  conversationList: (orgId: string, view: InboxView, q: string | undefined) =>
    [orgId, 'conversations', 'list', view, q ?? ''] as const,
  counts: (orgId: string) => [orgId, 'conversations', 'counts'] as const,
  conversation: (orgId: string, id: string) => [orgId, 'conversation', id] as const,
  related: (orgId: string, id: string) => [orgId, 'conversation', id, 'related'] as const,
  cannedResponses: (orgId: string) => [orgId, 'canned-responses'] as const,
  members: (orgId: string) => [orgId, 'members'] as const,
  apiKeys: (orgId: string) => [orgId, 'api-keys'] as const,
  invitations: (orgId: string) => [orgId, 'invitations'] as const,
  agents: (orgId: string) => [orgId, 'agents'] as const,
  agent: (orgId: string, id: string) => [orgId, 'agents', id] as const,
  modelProviders: (orgId: string) => [orgId, 'model-providers'] as const,
  audit: (orgId: string, filters: AuditFilters) => [orgId, 'audit', 'list', filters] as const,
  auditVerify: (orgId: string) => [orgId, 'audit', 'verify'] as const,
  auditCheckpoints: (orgId: string) => [orgId, 'audit', 'checkpoints'] as const,
  usage: (orgId: string, days: number) => [orgId, 'usage', days] as const,
  usageReport: (orgId: string, days: number, groupBy: UsageGroupBy) =>
    [orgId, 'usage-report', days, groupBy] as const,
  usageLimits: (orgId: string) => [orgId, 'usage-limits'] as const,
};

/** The audit log's filters: an exact action or a prefix ending in a dot, and an actor id. */
export type AuditFilters = { action?: string; actor?: string };

export const meQuery = queryOptions({
  queryKey: queryKeys.me,
  queryFn: ({ signal }) => request<Me>('/v1/me', { signal }),
  staleTime: 60_000,
});

/**
 * A view of the inbox, optionally searched, 50 conversations a page ("Load more" follows
 * nextCursor). Live events invalidate it, which refetches every loaded page, so a new matching
 * conversation appears at the top even while searching.
 */
export const conversationListQuery = (orgId: string, view: InboxView, q: string | undefined) =>
  infiniteQueryOptions({
    queryKey: queryKeys.conversationList(orgId, view, q),
    initialPageParam: null as string | null,
    queryFn: ({ signal, pageParam }) => {
      const params = new URLSearchParams({ view, limit: '50' });
      if (q) params.set('q', q);
      if (pageParam) params.set('cursor', pageParam);
      return request<ConversationList>(`/v1/conversations?${params}`, { orgId, signal });
    },
    getNextPageParam: (last) => last.nextCursor,
  });

export const countsQuery = (orgId: string) =>
  queryOptions({
    queryKey: queryKeys.counts(orgId),
    queryFn: ({ signal }) => request<InboxCounts>('/v1/conversations/counts', { orgId, signal }),
  });

export const conversationQuery = (orgId: string, id: string) =>
  queryOptions({
    queryKey: queryKeys.conversation(orgId, id),
    queryFn: ({ signal }) => request<ConversationDetail>(`/v1/conversations/${id}`, { orgId, signal }),
  });

/** The visitor's other conversations (linked only by a consented email; see the server). */
export const relatedConversationsQuery = (orgId: string, id: string) =>
  queryOptions({
    queryKey: queryKeys.related(orgId, id),
    queryFn: ({ signal }) =>
      request<RelatedConversations>(`/v1/conversations/${id}/related`, { orgId, signal }),
  });

export const cannedResponsesQuery = (orgId: string) =>
  queryOptions({
    queryKey: queryKeys.cannedResponses(orgId),
    queryFn: ({ signal }) =>
      request<{ cannedResponses: CannedResponse[] }>('/v1/canned-responses', { orgId, signal }),
    select: (data) => data.cannedResponses,
    staleTime: 5 * 60_000,
  });

/** Members are listed for admins and owners only (the server refuses other roles). */
export const membersQuery = (orgId: string) =>
  queryOptions({
    queryKey: queryKeys.members(orgId),
    queryFn: ({ signal }) => request<{ members: Member[] }>('/v1/members', { orgId, signal }),
    select: (data) => data.members,
    staleTime: 60_000,
  });

/** API keys are managed by admins and owners only. */
export const apiKeysQuery = (orgId: string) =>
  queryOptions({
    queryKey: queryKeys.apiKeys(orgId),
    queryFn: ({ signal }) => request<{ keys: ApiKey[] }>('/v1/api-keys', { orgId, signal }),
    select: (data) => data.keys,
  });

export const invitationsQuery = (orgId: string) =>
  queryOptions({
    queryKey: queryKeys.invitations(orgId),
    queryFn: ({ signal }) => request<{ invitations: Invitation[] }>('/v1/invitations', { orgId, signal }),
    select: (data) => data.invitations,
  });

export const agentsQuery = (orgId: string) =>
  queryOptions({
    queryKey: queryKeys.agents(orgId),
    queryFn: ({ signal }) => request<{ agents: Agent[] }>('/v1/agents', { orgId, signal }),
    select: (data) => data.agents,
  });

export const agentQuery = (orgId: string, id: string) =>
  queryOptions({
    queryKey: queryKeys.agent(orgId, id),
    queryFn: ({ signal }) => request<Agent>(`/v1/agents/${id}`, { orgId, signal }),
  });

/** The audit log, newest first, 50 entries a page ("Load more" follows nextCursor). Admins only. */
export const auditQuery = (orgId: string, filters: AuditFilters) =>
  infiniteQueryOptions({
    queryKey: queryKeys.audit(orgId, filters),
    initialPageParam: null as number | null,
    queryFn: ({ signal, pageParam }) => {
      const params = new URLSearchParams({ limit: '50' });
      if (filters.action) params.set('action', filters.action);
      if (filters.actor) params.set('actor', filters.actor);
      if (pageParam !== null) params.set('cursor', String(pageParam));
      return request<AuditPage>(`/v1/audit?${params}`, { orgId, signal });
    },
    getNextPageParam: (last) => last.nextCursor,
  });

/** The audit chain recomputed by the server now. */
export const auditVerifyQuery = (orgId: string) =>
  queryOptions({
    queryKey: queryKeys.auditVerify(orgId),
    queryFn: ({ signal }) => request<AuditVerification>('/v1/audit/verify', { orgId, signal }),
  });

/** The newest signed checkpoints of the audit chain (admins). */
export const auditCheckpointsQuery = (orgId: string) =>
  queryOptions({
    queryKey: queryKeys.auditCheckpoints(orgId),
    queryFn: ({ signal }) => request<AuditCheckpointPage>('/v1/audit/checkpoints?limit=5', { orgId, signal }),
  });

/** Daily usage for the last `days` UTC days (viewer and above). */
export const usageQuery = (orgId: string, days: number) =>
  queryOptions({
    queryKey: queryKeys.usage(orgId, days),
    queryFn: ({ signal }) => request<{ days: UsageDay[] }>(`/v1/usage/daily?days=${days}`, { orgId, signal }),
    select: (data) => data.days,
  });

/** Tokens, cost and answers over the last `days` UTC days, grouped (viewer and above). */
export const usageReportQuery = (orgId: string, days: number, groupBy: UsageGroupBy) =>
  queryOptions({
    queryKey: queryKeys.usageReport(orgId, days, groupBy),
    queryFn: ({ signal }) => {
      const from = new Date(Date.now() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
      return request<UsageReport>(`/v1/usage?groupBy=${groupBy}&from=${from}`, { orgId, signal });
    },
  });

/** The month's usage against the monthly limits (viewer and above). */
export const usageLimitsQuery = (orgId: string) =>
  queryOptions({
    queryKey: queryKeys.usageLimits(orgId),
    queryFn: ({ signal }) => request<UsageLimitsView>('/v1/usage/limits', { orgId, signal }),
  });
