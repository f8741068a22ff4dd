import { describe, expect, it } from 'vitest';
import { ConfigError } from './config.js';
import { serverRole } from './server-role.js';

describe('server role', () => {
  it('reads --role, then CONFIDANT_ROLE, and defaults to all', () => {
    expect(serverRole([], {}, 'pglite')).toBe('all');
    expect(serverRole(['--role', 'worker'], { CONFIDANT_ROLE: 'api' }, 'postgres')).toBe('worker');
    expect(serverRole(['--role=api'], {}, 'postgres')).toBe('api');
    expect(serverRole([], { CONFIDANT_ROLE: 'api' }, 'postgres')).toBe('api');
  });

  it('refuses an unknown role, and a split on PGlite, with a readable configuration error', () => {
    expect(() => serverRole(['--role', 'web'], {}, 'postgres')).toThrow(ConfigError);
    expect(() => serverRole([], { CONFIDANT_ROLE: 'worker' }, 'pglite')).toThrow(/needs PostgreSQL/);
    expect(() => serverRole(['--role', 'api'], {}, 'pglite')).toThrow(/role all/);
  });
});
