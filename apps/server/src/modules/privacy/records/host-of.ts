/**
 * The host (and port, when not the scheme's default) of a configured URL, for the records of
 * processing. Invariant: never returns user info, path or query — an SMTP URL carries its
 * password in the user info, and a webhook URL its token in the path — so the records can be
 * shown and downloaded without leaking a credential. Unparsable input gives null.
 */
export function hostOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const host = new URL(url).host;
    return host === '' ? null : host;
  } catch {
    return null;
  }
}
