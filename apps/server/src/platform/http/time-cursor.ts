import { AppError } from '../errors.js';

/**
 * An opaque page cursor for lists ordered by (time, id) descending: base64url of
 * `{ at, id }`. Keyed by the last row's values, so a page never repeats or skips a row when new
 * rows arrive meanwhile. A cursor the API did not issue is a 400, never a 500.
 */
export type TimeCursor = { at: string; id: string };

export const encodeTimeCursor = (c: TimeCursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

export function decodeTimeCursor(value: string): TimeCursor {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<TimeCursor>;
    if (
      typeof parsed.at === 'string' &&
      !Number.isNaN(Date.parse(parsed.at)) &&
      typeof parsed.id === 'string' &&
      /^[0-9a-f-]{36}$/.test(parsed.id)
    )
      return { at: parsed.at, id: parsed.id };
  } catch {}
  throw new AppError('validation_failed', 'cursor is not one this API returned', [
    { path: 'querystring.cursor', message: 'invalid cursor' },
  ]);
}
