import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';

/**
 * The Ed25519 key that signs audit checkpoints (modules/audit/checkpoints.ts). It is held outside
 * the database on purpose: whoever can rewrite the database cannot sign a checkpoint for the
 * rewritten log, and a business's saved copies of earlier checkpoints keep proving what the log
 * held. From CONFIDANT_AUDIT_SIGNING_KEY (a PKCS#8 PEM, or its base64 DER) when set; otherwise
 * <data dir>/audit-signing.key, generated (mode 0600) on first use.
 */
export type SigningKey = {
  privateKey: KeyObject;
  /** SPKI PEM: what a verifier needs, published with every checkpoint. */
  publicKeyPem: string;
  /** The first 16 hex digits of SHA-256 over the public key's DER: a short name for the key. */
  keyId: string;
};

export const signingKeyPath = (dataDir: string) => path.join(dataDir, 'audit-signing.key');

export class SigningKeyError extends Error {}

/** The key's id: anyone holding the public key can recompute it. */
export function signingKeyId(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

function fromPrivateKey(privateKey: KeyObject): SigningKey {
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new SigningKeyError('The audit signing key must be an Ed25519 private key');
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: signingKeyId(publicKey),
  };
}

function parsePrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  try {
    return trimmed.startsWith('-----BEGIN')
      ? createPrivateKey(trimmed)
      : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    // Never echo the key material.
    throw new SigningKeyError(
      'The audit signing key is not a readable Ed25519 private key (PKCS#8 PEM or base64 DER)',
    );
  }
}

const loaded = new Map<string, SigningKey>();

/** Loads (or, from a data dir without one, generates) the signing key; cached per source. */
export function loadSigningKey(config: Pick<Config, 'dataDir' | 'auditSigningKey'>): SigningKey {
  const source = config.auditSigningKey ? `env:${config.auditSigningKey}` : `file:${config.dataDir}`;
  const cached = loaded.get(source);
  if (cached) return cached;
  let key: SigningKey;
  if (config.auditSigningKey) {
    key = fromPrivateKey(parsePrivateKey(config.auditSigningKey));
  } else {
    const file = signingKeyPath(config.dataDir);
    if (existsSync(file)) {
      key = fromPrivateKey(parsePrivateKey(readFileSync(file, 'utf8')));
    } else {
      const { privateKey } = generateKeyPairSync('ed25519');
      mkdirSync(config.dataDir, { recursive: true });
      // Atomic write: a crash mid-write must not leave a truncated key behind.
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      chmodSync(temporary, 0o600);
      renameSync(temporary, file);
      key = fromPrivateKey(privateKey);
    }
  }
  loaded.set(source, key);
  return key;
}
