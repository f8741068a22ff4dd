import type { Incident, IncidentChanges } from '@confidant/contract';
import { queryOptions } from '@tanstack/react-query';
import { ApiError } from '../../api/api-error';
import { ORG_HEADER, readProblem, request } from '../../api/client';

export const incidentsKey = (orgId: string) => [orgId, 'incidents'] as const;

export const incidentsQuery = (orgId: string) =>
  queryOptions({
    queryKey: incidentsKey(orgId),
    queryFn: ({ signal }) => request<{ incidents: Incident[] }>('/v1/incidents', { orgId, signal }),
    select: (data) => data.incidents,
  });

export const createIncident = (orgId: string, body: IncidentChanges) =>
  request<Incident>('/v1/incidents', { method: 'POST', orgId, body });

export const updateIncident = (orgId: string, id: string, body: IncidentChanges) =>
  request<Incident>(`/v1/incidents/${id}`, { method: 'PATCH', orgId, body });

/**
 * Downloads the report for the supervisory authority as Markdown. A plain link cannot carry the
 * org header the API needs, so the file is fetched and handed to the browser; nothing is kept.
 */
export async function downloadReport(orgId: string, incident: Incident): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`/v1/incidents/${incident.id}/report?format=md`, {
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
    link.download = `incident-${incident.id}.md`;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
