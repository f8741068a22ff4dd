import type { Problem } from '@confidant/contract';

/** A failed API call; `problem` is the server's RFC 9457 body (problem+json) when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problem?.detail ?? `Request failed with status ${status}`);
    this.name = 'ApiError';
  }
}

/** What to tell a person about an error, in words. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.problem?.detail) return error.problem.detail;
    if (error.status === 0) return 'The server could not be reached. Check your connection and try again.';
    return `The server answered with status ${error.status}.`;
  }
  if (error instanceof TypeError)
    return 'The server could not be reached. Check your connection and try again.';
  return 'Something went wrong. Please try again.';
}

export const isUnauthenticated = (error: unknown) => error instanceof ApiError && error.status === 401;
