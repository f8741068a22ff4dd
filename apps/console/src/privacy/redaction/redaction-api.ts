import { request } from '../../api/client';

/** What the redactor found: offsets into the checked text, never the values themselves. */
export type RedactionEntity = { type: string; start: number; end: number };
export type RedactionResult = { redacted: string; entities: RedactionEntity[] };

/** Mirrors the server's limit (privacy/redaction/redact-route.ts). */
export const MAX_REDACT_TEXT = 20_000;

export const checkRedaction = (orgId: string, text: string) =>
  request<RedactionResult>('/v1/privacy/redact', { method: 'POST', orgId, body: { text } });
