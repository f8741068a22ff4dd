/**
 * When a visitor token expires, read from its own `exp` claim. The widget cannot verify the
 * signature (it has no key) and does not need to: this only decides when to ask for a fresh
 * token; the server decides whether a token is valid.
 */
export function tokenExpiresAt(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Refresh well before expiry: at 80% of the remaining life, and at least 30 s early. */
export function refreshDelay(token: string, now = Date.now()): number | undefined {
  const expiresAt = tokenExpiresAt(token);
  if (expiresAt === undefined) return undefined;
  const remaining = expiresAt - now;
  return Math.max(0, Math.min(remaining * 0.8, remaining - 30_000));
}
