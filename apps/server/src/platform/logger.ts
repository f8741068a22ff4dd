import type { LoggerOptions } from 'pino';

/**
 * Log options. Invariant: logs carry ids, routes and timings — never credentials, message text
 * or personal data. Request logs omit query strings, IPs and user agents; known secret-bearing
 * paths are redacted wherever they appear.
 */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.apiKey',
  '*.api_key',
  '*.token',
  '*.key',
  '*.secret',
  '*.email',
  '*.text',
  '*.content',
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

/**
 * What of an unexpected error may be logged. Messages and stacks' first lines are dropped:
 * Drizzle puts query parameters in its messages and PostgreSQL quotes values in some (invalid
 * input, key details) — either can be personal data. Kept: the error's kind, SQLSTATE and the
 * schema names it concerns, and the stack frames, which is enough to find the fault.
 */
export function errorForLog(error: unknown): Record<string, unknown> {
  const e = (error ?? {}) as { name?: string; code?: unknown; stack?: string; cause?: unknown };
  const cause = (e.cause ?? {}) as {
    name?: string;
    code?: unknown;
    constraint?: string;
    table?: string;
    column?: string;
  };
  return {
    type: e.name ?? typeof error,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(cause.name ? { causeType: cause.name } : {}),
    ...(typeof cause.code === 'string' ? { causeCode: cause.code } : {}),
    ...(cause.constraint ? { constraint: cause.constraint } : {}),
    ...(cause.table ? { table: cause.table } : {}),
    ...(cause.column ? { column: cause.column } : {}),
    ...(e.stack
      ? {
          frames: e.stack
            .split('\n')
            .filter((l) => l.trimStart().startsWith('at '))
            .slice(0, 12),
        }
      : {}),
  };
}
