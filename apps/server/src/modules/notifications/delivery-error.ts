/**
 * A delivery attempt that failed, with a short code that is safe to store and log
 * (`notifications.last_error_code`, the job's stored error): never a server's message, which can
 * quote an address or the message itself. `permanent` failures are not retried.
 */
export class DeliveryError extends Error {
  constructor(
    readonly code: string,
    readonly permanent = false,
  ) {
    super(`notification delivery failed (${code})`);
    this.name = 'DeliveryError';
  }
}

/** Keeps a code within what the column accepts: letters, digits and `_`, at most 64. */
export function safeErrorCode(raw: string): string {
  const cleaned = raw.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 64);
  return cleaned.length > 0 ? cleaned : 'unknown';
}
