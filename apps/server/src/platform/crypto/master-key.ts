import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { formatKeyring, type Keyring, makeKeyring, parseKeyring } from './keyring.js';

export const masterKeyPath = (dataDir: string) => path.join(dataDir, 'master.key');

/**
 * Loads the master keyring: from CONFIDANT_MASTER_KEY when set; otherwise, in embedded mode,
 * from <data dir>/master.key, generating it (mode 0600) on first start. On PostgreSQL without a
 * key, config parsing already refused production; development generates a file too, with a warning.
 */
export function loadKeyring(config: Config, warn: (message: string) => void): Keyring {
  const existing = readKeyring(config);
  if (existing) return existing;
  const file = masterKeyPath(config.dataDir);
  mkdirSync(config.dataDir, { recursive: true });
  const keyring = makeKeyring(new Map([[1, randomBytes(32)]]));
  writeKeyringFile(config.dataDir, keyring);
  warn(
    `Generated a new master key at ${file}. Back it up: without it, encrypted secrets cannot be read. ` +
      'In production set CONFIDANT_MASTER_KEY instead.',
  );
  return keyring;
}

/** The configured keyring (CONFIDANT_MASTER_KEY, else <data dir>/master.key), or undefined: never generates one. */
export function readKeyring(config: Config): Keyring | undefined {
  if (config.masterKey) return parseKeyring(config.masterKey);
  const file = masterKeyPath(config.dataDir);
  return existsSync(file) ? parseKeyring(readFileSync(file, 'utf8')) : undefined;
}

/**
 * Writes the key file atomically (temporary file, then rename): a crash mid-write must never
 * leave a truncated master key, which would make every encrypted secret unreadable.
 */
export function writeKeyringFile(dataDir: string, keyring: Keyring) {
  const file = masterKeyPath(dataDir);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${formatKeyring(keyring)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}
