/**
 * The widget's one way to call its API: never a cookie (`credentials: 'omit'`), never a cached
 * response, and every failure turned into a ChatError the panel can word for the visitor.
 */

export type ErrorKind = 'network' | 'rate_limited' | 'unavailable' | 'rejected' | 'expired' | 'server';

export class ChatError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ChatError';
  }
}

export type ApiRequest = (path: string, init: RequestInit) => Promise<Response>;

export function createApiRequest(apiBase: string): ApiRequest {
  return async (path, init) => {
    try {
      return await fetch(new URL(path, apiBase).href, {
        ...init,
        credentials: 'omit',
        cache: 'no-store',
        mode: 'cors',
      });
    } catch (error) {
      // An abort is the caller's decision, not a network failure.
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ChatError('network', 'network failure');
    }
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export type Json = Record<string, unknown> | undefined;

export function parseJson(text: string): Json {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export async function problemError(res: Response): Promise<ChatError> {
  const body = parseJson(await res.text().catch(() => ''));
  return problemToError({ status: res.status, ...body });
}

export function problemToError(problem: Json): ChatError {
  const status = typeof problem?.status === 'number' ? problem.status : 500;
  const detail = typeof problem?.detail === 'string' ? problem.detail : `HTTP ${status}`;
  if (status === 401) return new ChatError('expired', detail);
  if (status === 429) return new ChatError('rate_limited', detail);
  if (status === 503) return new ChatError('unavailable', detail);
  if (status >= 400 && status < 500) return new ChatError('rejected', detail);
  return new ChatError('server', detail);
}
