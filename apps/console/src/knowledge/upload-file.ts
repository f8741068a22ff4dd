import type { KnowledgeSource } from '@confidant/contract';
import { ApiError } from '../api/api-error';
import { ORG_HEADER, readProblem } from '../api/client';

/**
 * Uploads one file as its own multipart request (the API takes one file per request), so one
 * refused file (415, 413, 400) never holds up the others. The browser sends Origin with this
 * POST, as the server's CSRF check for session requests needs.
 */
export async function uploadFile(orgId: string, file: File): Promise<KnowledgeSource> {
  const body = new FormData();
  body.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch('/v1/knowledge/sources', {
      method: 'POST',
      headers: { accept: 'application/json', [ORG_HEADER]: orgId },
      body,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, null);
  }
  if (!response.ok) throw new ApiError(response.status, await readProblem(response));
  return (await response.json()) as KnowledgeSource;
}
