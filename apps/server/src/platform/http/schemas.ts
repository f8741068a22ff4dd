import { z } from 'zod';
import { hasNoNul, hasNoUnpairedSurrogate, NUL_MESSAGE, SURROGATE_MESSAGE } from './storable-text.js';

/** Schemas shared by many routes. */
export const idParams = z.strictObject({ id: z.uuid({ message: 'must be a UUID' }) });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string(),
    code: z.string(),
  })
  .passthrough()
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

/**
 * A string PostgreSQL can store: no NUL, no unpaired surrogate (storable-text.ts). JSON bodies are
 * already checked by the parser; this covers query strings, path parameters and multipart fields,
 * where `%00` arrives as NUL. Chain limits after it (`safeString().max(200)`).
 */
export const safeString = () =>
  z.string().refine(hasNoNul, NUL_MESSAGE).refine(hasNoUnpairedSurrogate, SURROGATE_MESSAGE);

/** Storable text that must not be blank once trimmed; trims surrounding whitespace. */
export const nonBlank = (max: number) =>
  safeString().trim().min(1, 'must not be blank').max(max, `must be at most ${max} characters`);

export const errorResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
};
