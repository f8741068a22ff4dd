import { z } from 'zod';
import type { ActionParametersSchema } from '../../platform/db/schema/index.js';

/**
 * The JSON Schema subset an action's parameters are written in: an object whose properties are
 * strings, numbers, integers or booleans, optionally with an `enum` and a `description`, some of
 * them `required`. One extra keyword, `sensitive: true`, marks a property the call log must
 * never hold (it is stripped from what the model sees). Nested objects, arrays, `$ref` and the
 * rest of JSON Schema are refused when the action is saved, so the checks below are complete
 * for every stored schema.
 */
export const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const REDACTED = '[redacted]';

const propertySchema = z
  .strictObject({
    type: z.enum(['string', 'number', 'integer', 'boolean']),
    description: z.string().max(1000).optional(),
    enum: z
      .array(z.union([z.string().max(200), z.number()]))
      .min(1)
      .max(100)
      .optional(),
    sensitive: z.boolean().optional(),
  })
  .refine(
    (p) =>
      !p.enum ||
      p.enum.every((v) =>
        p.type === 'string' ? typeof v === 'string' : p.type === 'boolean' ? false : typeof v === 'number',
      ),
    'enum values must have the property’s type (booleans take no enum)',
  );

export const parametersSchema = z
  .strictObject({
    type: z.literal('object'),
    properties: z
      .record(z.string().regex(PARAMETER_NAME, 'parameter names are letters, digits and _'), propertySchema)
      .refine((p) => Object.keys(p).length <= 30, 'at most 30 parameters'),
    required: z.array(z.string()).max(30).optional(),
  })
  .refine(
    (s) => (s.required ?? []).every((name) => name in s.properties),
    'every required name must be one of the properties',
  );

export type ArgumentCheck =
  | { ok: true; values: Record<string, string | number | boolean> }
  | { ok: false; errors: string[] };

/**
 * Checks arguments (from the model or an admin's test) against the schema: required present,
 * types and enums respected, no unknown names. The error words name parameters, never values
 * (they may be sensitive).
 */
export function checkArguments(schema: ActionParametersSchema, input: unknown): ArgumentCheck {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: ['the arguments must be a JSON object'] };
  }
  const errors: string[] = [];
  const values: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(input as Record<string, unknown>)) {
    const property = schema.properties[name];
    if (!property) {
      errors.push(`${name} is not a parameter of this action`);
      continue;
    }
    if (value === null || value === undefined) continue;
    const typeOk =
      property.type === 'string'
        ? typeof value === 'string'
        : property.type === 'boolean'
          ? typeof value === 'boolean'
          : typeof value === 'number' &&
            Number.isFinite(value) &&
            (property.type === 'number' || Number.isInteger(value));
    if (!typeOk) {
      errors.push(`${name} must be ${property.type === 'integer' ? 'an integer' : `a ${property.type}`}`);
      continue;
    }
    if (property.enum && !property.enum.includes(value as string | number)) {
      errors.push(`${name} must be one of the allowed values`);
      continue;
    }
    values[name] = value as string | number | boolean;
  }
  for (const name of schema.required ?? []) {
    if (!(name in values) && !errors.some((e) => e.startsWith(`${name} `)))
      errors.push(`${name} is required`);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}

/** The arguments as the call log may hold them: every sensitive property replaced by "[redacted]". */
export function redactArguments(schema: ActionParametersSchema, input: unknown): Record<string, unknown> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return {};
  return Object.fromEntries(
    Object.entries(input as Record<string, unknown>).map(([name, value]) => [
      name,
      // Unknown names are redacted too: the model may have put a secret under a wrong name.
      schema.properties[name] && !schema.properties[name].sensitive ? value : REDACTED,
    ]),
  );
}

/** The schema the model sees: plain JSON Schema, without our `sensitive` keyword. */
export function modelInputSchema(schema: ActionParametersSchema): Record<string, unknown> {
  return {
    type: 'object',
    properties: Object.fromEntries(
      Object.entries(schema.properties).map(([name, { sensitive: _sensitive, ...property }]) => [
        name,
        property,
      ]),
    ),
    required: schema.required ?? [],
    additionalProperties: false,
  };
}
