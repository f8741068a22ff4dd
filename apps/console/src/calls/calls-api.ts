import type {
  CallChanges,
  CallDashboard,
  CallDetail,
  CallPage,
  CallSettings,
  CallSummary,
  ModelProviderEntry,
  RepCoaching,
  Rubric,
  RubricInput,
} from '@confidant/contract';
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { ApiError } from '../api/api-error';
import { ORG_HEADER, request } from '../api/client';
import { queryKeys } from '../api/queries';

/** The list's filters, as the page keeps them in its URL (every one optional). */
export type CallFilters = {
  status?: string;
  rep?: string;
  rubric?: string;
  minScore?: number;
  maxScore?: number;
  /** YYYY-MM-DD, in the browser's time zone. */
  from?: string;
  to?: string;
  q?: string;
};

export const callsKey = (orgId: string) => [orgId, 'calls'] as const;
export const callKey = (orgId: string, id: string) => [orgId, 'calls', 'one', id] as const;
export const rubricsKey = (orgId: string) => [orgId, 'rubrics'] as const;
export const callSettingsKey = (orgId: string) => [orgId, 'calls', 'settings'] as const;

/** Whether a call is still being worked on (the pages poll while one is). */
export const inProgress = (call: Pick<CallSummary, 'status'>) =>
  call.status === 'queued' || call.status === 'transcribing' || call.status === 'analyzing';

/**
 * Whether a call waits for the org's monthly usage limit to allow it (the server leaves it
 * `queued` with a "Paused: …" error, and resumes it by itself).
 */
export const isPaused = (call: Pick<CallSummary, 'status' | 'error'>) =>
  call.status === 'queued' && call.error !== null;

/** How often a page refreshes while calls are worked on: slowly when all of them are paused. */
const pollEvery = (calls: Pick<CallSummary, 'status' | 'error'>[]) => {
  const working = calls.filter(inProgress);
  if (working.length === 0) return false;
  return working.every(isPaused) ? 30_000 : 2000;
};

/** A local calendar day as the instant it starts (or, `endOfDay`, the last millisecond of it). */
const dayInstant = (day: string, endOfDay = false) => {
  const [y, m, d] = day.split('-').map(Number);
  const date = endOfDay ? new Date(y!, m! - 1, d! + 1, 0, 0, 0, -1) : new Date(y!, m! - 1, d!);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
};

/** The GET /v1/calls query string for filters and a page cursor. */
export function callsQueryString(filters: CallFilters, cursor?: string | null): string {
  const params = new URLSearchParams();
  if (filters.status) params.set('status', filters.status);
  if (filters.rep) params.set('repName', filters.rep);
  if (filters.rubric) params.set('rubricId', filters.rubric);
  if (filters.minScore !== undefined) params.set('minScore', String(filters.minScore));
  if (filters.maxScore !== undefined) params.set('maxScore', String(filters.maxScore));
  const from = filters.from ? dayInstant(filters.from) : null;
  const to = filters.to ? dayInstant(filters.to, true) : null;
  if (from) params.set('from', from);
  if (to) params.set('to', to);
  if (filters.q) params.set('q', filters.q);
  if (cursor) params.set('cursor', cursor);
  params.set('limit', '25');
  return params.toString();
}

/** The calls matching the filters, a page at a time; refreshed every 2 s while any is in progress (30 s when all of those are paused). */
export const callsQuery = (orgId: string, filters: CallFilters) =>
  infiniteQueryOptions({
    queryKey: [...callsKey(orgId), 'list', filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      request<CallPage>(`/v1/calls?${callsQueryString(filters, pageParam)}`, { orgId, signal }),
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: (query) => pollEvery(query.state.data?.pages.flatMap((p) => p.calls) ?? []),
  });

export const callQuery = (orgId: string, id: string) =>
  queryOptions({
    queryKey: callKey(orgId, id),
    queryFn: ({ signal }) => request<CallDetail>(`/v1/calls/${encodeURIComponent(id)}`, { orgId, signal }),
    refetchInterval: (query) => pollEvery(query.state.data ? [query.state.data] : []),
  });

export const rubricsQuery = (orgId: string) =>
  queryOptions({
    queryKey: rubricsKey(orgId),
    queryFn: ({ signal }) => request<{ rubrics: Rubric[] }>('/v1/rubrics', { orgId, signal }),
    select: (data) => data.rubrics,
  });

export const callSettingsQuery = (orgId: string) =>
  queryOptions({
    queryKey: callSettingsKey(orgId),
    queryFn: ({ signal }) => request<CallSettings>('/v1/calls/settings', { orgId, signal }),
  });

export const dashboardQuery = (orgId: string, from: string, to: string, rubricId: string) =>
  queryOptions({
    queryKey: [...callsKey(orgId), 'dashboard', from, to, rubricId],
    queryFn: ({ signal }) => {
      const params = new URLSearchParams({ from, to });
      if (rubricId) params.set('rubricId', rubricId);
      return request<CallDashboard>(`/v1/calls/dashboard?${params}`, { orgId, signal });
    },
  });

export const repCoachingQuery = (orgId: string, repName: string) =>
  queryOptions({
    queryKey: [...callsKey(orgId), 'rep', repName],
    queryFn: ({ signal }) =>
      request<RepCoaching>(`/v1/calls/reps/${encodeURIComponent(repName)}/coaching`, { orgId, signal }),
  });

/** The org's providers and their models (admins only), for the settings' model choices. */
export const providersQuery = (orgId: string) =>
  queryOptions({
    queryKey: queryKeys.modelProviders(orgId),
    retry: false,
    queryFn: ({ signal }) =>
      request<{ providers: ModelProviderEntry[] }>('/v1/model-providers', { orgId, signal }),
  });

export const updateCall = (orgId: string, id: string, changes: CallChanges) =>
  request<CallDetail>(`/v1/calls/${encodeURIComponent(id)}`, { method: 'PATCH', orgId, body: changes });
export const reprocessCall = (orgId: string, id: string, rubricId?: string) =>
  request<unknown>(`/v1/calls/${encodeURIComponent(id)}/reprocess`, {
    method: 'POST',
    orgId,
    body: rubricId ? { rubricId } : {},
  });
export const deleteCall = (orgId: string, id: string) =>
  request<void>(`/v1/calls/${encodeURIComponent(id)}`, { method: 'DELETE', orgId });

export const createRubric = (orgId: string, body: RubricInput) =>
  request<Rubric>('/v1/rubrics', { method: 'POST', orgId, body });
export const updateRubric = (orgId: string, id: string, body: Partial<RubricInput>) =>
  request<Rubric>(`/v1/rubrics/${encodeURIComponent(id)}`, { method: 'PATCH', orgId, body });
export const deleteRubric = (orgId: string, id: string) =>
  request<void>(`/v1/rubrics/${encodeURIComponent(id)}`, { method: 'DELETE', orgId });

export const saveCallSettings = (orgId: string, body: CallSettings) =>
  request<CallSettings>('/v1/calls/settings', { method: 'PUT', orgId, body });

/** Where the call's audio streams from (the server answers Range requests, so seeking works). */
export const audioUrl = (id: string) => `/v1/calls/${encodeURIComponent(id)}/audio`;

export type UploadFields = { title?: string; repName?: string; rubricId?: string };

/**
 * Uploads one recording as its own multipart request, reporting the bytes sent (XHR: fetch has
 * no upload progress). The org header goes with it; a POST from the page carries Origin, as the
 * server's CSRF check for session requests needs. A refusal (413, 415, 400) rejects with the
 * server's problem detail.
 */
export function uploadCall(
  orgId: string,
  file: File,
  fields: UploadFields,
  onProgress: (fraction: number) => void,
): Promise<CallSummary> {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value) body.append(name, value);
  body.append('file', file, file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/v1/calls');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader(ORG_HEADER, orgId);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new ApiError(0, null));
    xhr.onload = () => {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        parsed = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(parsed as CallSummary);
        return;
      }
      const p = parsed as { detail?: unknown; title?: unknown } | null;
      const problem =
        p && (typeof p.detail === 'string' || typeof p.title === 'string')
          ? ({ ...p, detail: (p.detail ?? p.title) as string } as never)
          : null;
      reject(new ApiError(xhr.status, problem));
    };
    xhr.send(body);
  });
}
