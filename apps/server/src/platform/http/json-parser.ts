import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { AppError } from '../errors.js';
import { unstorableStrings } from './storable-text.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Strict JSON bodies: invalid UTF-8 is rejected (Node would silently replace it with U+FFFD),
 * prototype-poisoning keys are rejected, an empty body is a clear 400, and strings PostgreSQL
 * cannot store (NUL, unpaired surrogates; see storable-text.ts) are a 400 naming each field.
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
      let value: unknown;
      try {
        value = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
      } catch {
        return done(new AppError('bad_request', 'The body is not valid JSON'));
      }
      const issues = unstorableStrings(value, 'body');
      if (issues.length > 0) {
        return done(
          new AppError('validation_failed', 'The body contains text that cannot be stored', issues),
        );
      }
      done(null, value);
    },
  );
}
