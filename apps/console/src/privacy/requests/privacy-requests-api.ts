import type { NewPrivacyRequest, PrivacyRequest } from '@confidant/contract';
import { queryOptions } from '@tanstack/react-query';
import { ApiError } from '../../api/api-error';
import { ORG_HEADER, readProblem, request } from '../../api/client';

export const privacyRequestsKey = (orgId: string) => [orgId, 'privacy-requests'] as const;

/** The org's data-subject requests; polls every second while one is queued or running. */
export const privacyRequestsQuery = (orgId: string) =>
  queryOptions({
    queryKey: privacyRequestsKey(orgId),
    queryFn: ({ signal }) =>
      request<{ requests: PrivacyRequest[] }>('/v1/privacy/requests', { orgId, signal }),
    select: (data) => data.requests,
    refetchInterval: (query) =>
      query.state.data?.requests.some((r) => r.status === 'queued' || r.status === 'running') ? 1000 : false,
  });

export const startPrivacyRequest = (orgId: string, body: NewPrivacyRequest) =>
  request<{ id: string; status: string }>('/v1/privacy/requests', { method: 'POST', orgId, body });

/**
 * Downloads a finished export. A plain link cannot carry the org header the API needs, so the
 * zip is fetched and handed to the browser as a file; nothing is kept after the click.
 */
export async function downloadExport(orgId: string, req: PrivacyRequest): Promise<void> {
  if (!req.download) return;
  let response: Response;
  try {
    response = await fetch(req.download.url, {
      headers: { [ORG_HEADER]: orgId },
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, null);
  }
  if (!response.ok) throw new ApiError(response.status, await readProblem(response));
  const url = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = `privacy-export-${req.id}.zip`;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
