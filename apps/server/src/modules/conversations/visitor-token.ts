import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { Keyring } from '../../platform/crypto/keyring.js';

/**
 * Visitor tokens: short-lived HS256 JWTs that let one browser tab post messages to one
 * conversation. Given in the JSON body and sent back as `Authorization: Bearer`, never as a
 * cookie (DESIGN §2: the widget sets no cookies). The signing key is derived from the master
 * keyring for this purpose only, so rotating the master key invalidates outstanding tokens —
 * harmless for tokens that live minutes to an hour.
 */
export type VisitorClaims = { org: string; agent: string; conversation: string };

const AUDIENCE = 'confidant:widget';
const claimsSchema = z.object({ org: z.uuid(), agent: z.uuid(), conversation: z.uuid() });

/**
 * The HMAC key as a WebCrypto key, imported once per keyring: jose would otherwise import the raw
 * bytes again on every sign and verify (every widget request verifies one).
 */
const signingKeys = new WeakMap<Keyring, Promise<CryptoKey>>();
function signingKey(keyring: Keyring): Promise<CryptoKey> {
  let key = signingKeys.get(keyring);
  if (!key) {
    key = crypto.subtle.importKey(
      'raw',
      new Uint8Array(keyring.derive('visitor-token')),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    signingKeys.set(keyring, key);
  }
  return key;
}

export async function signVisitorToken(
  keyring: Keyring,
  ttlSeconds: number,
  claims: VisitorClaims,
): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(await signingKey(keyring));
}

/**
 * `valid`: authentic and current. `expired`: authentic but past its expiry — its claims are
 * still trustworthy for deciding CORS, never for access. `null`: forged, malformed or foreign.
 */
export type VerifiedToken = { status: 'valid' | 'expired'; claims: VisitorClaims } | null;

export async function verifyVisitorToken(keyring: Keyring, token: string): Promise<VerifiedToken> {
  try {
    const { payload } = await jwtVerify(token, await signingKey(keyring), {
      algorithms: ['HS256'],
      audience: AUDIENCE,
    });
    const claims = claimsSchema.safeParse(payload);
    return claims.success ? { status: 'valid', claims: claims.data } : null;
  } catch (error) {
    // jose authenticates the token before validating claims, so an expired token's payload is genuine.
    if (error instanceof errors.JWTExpired) {
      const claims = claimsSchema.safeParse(error.payload);
      return claims.success ? { status: 'expired', claims: claims.data } : null;
    }
    return null;
  }
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}
