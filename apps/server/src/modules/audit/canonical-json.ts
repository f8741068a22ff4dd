import canonicalize from 'canonicalize';

/** RFC 8785 (JCS) canonical JSON: the byte-exact form hashed into the audit chain. */
export function canonicalJson(value: unknown): string {
  const out = canonicalize(value);
  if (out === undefined) throw new Error('value cannot be canonicalized');
  return out;
}
