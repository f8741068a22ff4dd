import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { loadKeyring, masterKeyPath } from './master-key.js';

describe('master key', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'confidant-mk-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('is generated once into the data dir with mode 0600 and a warning, then reused', () => {
    const dataDir = path.join(tempDir(), 'data');
    const config = loadConfig({ CONFIDANT_DATA_DIR: dataDir });
    const warnings: string[] = [];
    const first = loadKeyring(config, (m) => warnings.push(m));
    const file = masterKeyPath(dataDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(file);
    expect(warnings[0]).not.toContain(first.keys.get(1)!.toString('base64'));

    const second = loadKeyring(config, (m) => warnings.push(m));
    expect(warnings).toHaveLength(1);
    expect(second.current).toBe(first.current);
    expect(second.keys.get(1)).toEqual(first.keys.get(1));
    expect(readFileSync(file, 'utf8')).toContain(`1:${first.keys.get(1)!.toString('base64')}`);
  });

  it('comes from CONFIDANT_MASTER_KEY when set, and then no file is written', () => {
    const dataDir = tempDir();
    const key = randomBytes(32);
    const config = loadConfig({
      CONFIDANT_DATA_DIR: dataDir,
      CONFIDANT_MASTER_KEY: `4:${key.toString('base64')}`,
    });
    const keyring = loadKeyring(config, () => {
      throw new Error('no warning expected');
    });
    expect(keyring.current).toBe(4);
    expect(keyring.keys.get(4)).toEqual(key);
    expect(existsSync(masterKeyPath(dataDir))).toBe(false);
  });
});
