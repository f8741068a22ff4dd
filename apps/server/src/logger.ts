import type { FastifyServerOptions } from 'fastify';

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

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
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
