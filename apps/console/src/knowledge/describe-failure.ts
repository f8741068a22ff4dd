import { ApiError, describeError } from '../api/api-error';

/**
 * An API failure in words for a form: the problem's `detail`, plus what was wrong with each
 * field when the server listed `issues` (a 400 says "does not match the expected shape" alone).
 */
export function describeFailure(error: unknown): string {
  const base = describeError(error);
  if (!(error instanceof ApiError)) return base;
  const issues = error.problem?.issues;
  if (!Array.isArray(issues) || issues.length === 0) return base;
  const said = issues
    .slice(0, 3)
    .map((issue: { path?: unknown; message?: unknown }) => {
      const field = String(issue.path ?? '').replace(/^body\.?/, '');
      return field ? `${field} ${String(issue.message ?? '')}` : String(issue.message ?? '');
    })
    .join('; ');
  return `${base}: ${said}.`;
}
