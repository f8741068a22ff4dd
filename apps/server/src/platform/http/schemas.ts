import { z } from 'zod';

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

/** Text that must not be blank once trimmed; trims surrounding whitespace. */
export const nonBlank = (max: number) =>
  z.string().trim().min(1, 'must not be blank').max(max, `must be at most ${max} characters`);

export const errorResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
};
