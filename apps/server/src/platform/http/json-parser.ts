import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { AppError } from '../errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Strict JSON bodies: invalid UTF-8 is rejected (Node would silently replace it with U+FFFD),
 * prototype-poisoning keys are rejected, and an empty body is a clear 400.
 */
export function registerStrictJsonParser(app: FastifyInstance) {
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser(
    /^application\/([a-z0-9.-]+\+)?json$/,
    { parseAs: 'buffer' },
    (_request, body, done) => {
      const buffer = body as unknown as Buffer;
      if (buffer.length === 0)
        return done(new AppError('bad_request', 'The body is empty but JSON was declared'));
      let text: string;
      try {
        text = utf8.decode(buffer);
      } catch {
        return done(new AppError('bad_request', 'The body is not valid UTF-8'));
      }
      try {
        done(null, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
      } catch {
        done(new AppError('bad_request', 'The body is not valid JSON'));
      }
    },
  );
}
