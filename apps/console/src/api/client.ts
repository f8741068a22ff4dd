import type { Problem } from '@confidant/contract';
import { ApiError } from './api-error';

/** The header that selects the organization a console session acts in (modules/auth/session-principal.ts). */
export const ORG_HEADER = 'X-Confidant-Org';

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  /** The organization to act in; omitted for person-level routes (/v1/me, /api/auth/*). */
  orgId?: string;
  signal?: AbortSignal;
};

/**
 * Same-origin fetch carrying the Better Auth session cookie (credentials: same-origin). Every
 * state-changing request is sent with a JSON body so the browser adds Origin, which the server
 * checks against the console origin (a FormData body, for uploads, goes as multipart). Answers the parsed JSON (undefined for 204) or throws ApiError.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.orgId) headers[ORG_HEADER] = options.orgId;
  const method = options.method ?? 'GET';
  let body: string | FormData | undefined;
  if (options.body instanceof FormData) {
    // The browser writes the multipart content type with its boundary (and Origin, as for JSON).
    body = options.body;
  } else if (method !== 'GET') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body ?? {});
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, null);
  }
  if (!response.ok) throw new ApiError(response.status, await readProblem(response));
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The problem+json body of a failed response, when the server sent one. */
export async function readProblem(response: Response): Promise<Problem | null> {
  try {
    const body = (await response.json()) as Partial<Problem>;
    return typeof body.detail === 'string' || typeof body.title === 'string'
      ? ({ detail: body.detail ?? body.title, ...body } as Problem)
      : null;
  } catch {
    return null;
  }
}
