import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('config', () => {
  it('defaults to the embedded mode in ./data on port 3000', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database.kind).toBe('pglite');
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.database).toEqual({ kind: 'pglite', dataDir: `${config.dataDir}/pgdata` });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('allows private networks for tenant URLs with either name of the switch, refuses them by default', () => {
    expect(loadConfig({}).network.allowPrivateNetworks).toBe(false);
    expect(loadConfig({ CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' }).network.allowPrivateNetworks).toBe(true);
    expect(loadConfig({ CONFIDANT_CRAWL_ALLOW_PRIVATE_NETWORKS: '1' }).network.allowPrivateNetworks).toBe(
      true,
    );
    expect(
      loadConfig({ CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'false', CONFIDANT_CRAWL_ALLOW_PRIVATE_NETWORKS: 'yes' })
        .network.allowPrivateNetworks,
    ).toBe(true);
    expect(() => loadConfig({ CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'maybe' })).toThrow(ConfigError);
  });

  it('switches to PostgreSQL with DATABASE_URL and treats empty values as unset', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://app@db/confidant',
      PORT: '',
      CONFIDANT_MODEL_BASE_URL: '',
    });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://app@db/confidant' });
    expect(config.port).toBe(3000);
    expect(config.model).toBeUndefined();
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        CONFIDANT_BOOTSTRAP_API_KEY: 'short',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'CONFIDANT_BOOTSTRAP_API_KEY']) {
      expect(problems).toContain(name);
    }
  });

  it('requires a master key in production on PostgreSQL, and a model name with a model URL', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://app@db/c' })).toThrow(
      /CONFIDANT_MASTER_KEY/,
    );
    expect(() => loadConfig({ CONFIDANT_MODEL_BASE_URL: 'http://127.0.0.1:11434/v1' })).toThrow(
      /CONFIDANT_MODEL_NAME/,
    );
    const ok = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app@db/c',
      CONFIDANT_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
    });
    expect(ok.env).toBe('production');
  });

  it('parses rate limits as <max>/<window>, turned off by CONFIDANT_RATE_LIMIT=off', () => {
    const config = loadConfig({
      CONFIDANT_RATE_LIMIT_ADMIN: '100/30s',
      CONFIDANT_RATE_LIMIT_SIGN_IN_PER_IP: '5/h',
    });
    expect(config.rateLimits?.adminPerPrincipal).toEqual({ max: 100, windowMs: 30_000 });
    expect(config.rateLimits?.signInPerIp).toEqual({ max: 5, windowMs: 3_600_000 });
    expect(config.rateLimits?.widgetConfigPerIp).toEqual({ max: 120, windowMs: 60_000 });
    expect(loadConfig({ CONFIDANT_RATE_LIMIT: 'off' }).rateLimits).toBeNull();
    for (const bad of ['100', '0/1m', '10/0s', '10/2d', 'ten/1m']) {
      expect(() => loadConfig({ CONFIDANT_RATE_LIMIT_ADMIN: bad })).toThrow(ConfigError);
    }
    expect(() => loadConfig({ CONFIDANT_RATE_LIMIT: 'maybe' })).toThrow(ConfigError);
  });

  it('parses CONFIDANT_TRUST_PROXY as a switch, a hop count or a list of addresses', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ CONFIDANT_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ CONFIDANT_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ CONFIDANT_TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ CONFIDANT_TRUST_PROXY: '10.0.0.0/8, ::1,loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '::1',
      'loopback',
    ]);
    for (const bad of ['10.0.0.0/33', 'proxy.example', '10.0.0.1/8/1']) {
      expect(() => loadConfig({ CONFIDANT_TRUST_PROXY: bad })).toThrow(ConfigError);
    }
  });

  it('takes REDIS_URL for shared rate-limit counters', () => {
    expect(loadConfig({}).redis).toBeUndefined();
    expect(loadConfig({ REDIS_URL: 'redis://cache:6379' }).redis).toEqual({
      url: 'redis://cache:6379',
      keyPrefix: 'confidant:',
    });
    expect(() => loadConfig({ REDIS_URL: 'http://cache' })).toThrow(ConfigError);
  });

  it('takes an SMTP URL for email (dev outbox without one) and never echoes it in errors', () => {
    expect(loadConfig({}).email).toEqual({ smtpUrl: undefined, from: 'Confidant <no-reply@localhost>' });
    const url = 'smtps://mailer:s3cret@mail.example:465';
    expect(
      loadConfig({ CONFIDANT_SMTP_URL: url, CONFIDANT_SMTP_FROM: 'Help <help@shop.example>' }).email,
    ).toEqual({
      smtpUrl: url,
      from: 'Help <help@shop.example>',
    });
    let error: unknown;
    try {
      loadConfig({ CONFIDANT_SMTP_URL: 'http://mailer:s3cret@mail.example' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('CONFIDANT_SMTP_URL');
    expect((error as ConfigError).message).not.toContain('s3cret');
  });
});
