import { isIP } from 'node:net';
import path from 'node:path';
import { MODEL_PROVIDER_KINDS, type ModelProviderKind } from '@confidant/contract/model-provider-kinds';
import { z } from 'zod';

/**
 * The whole runtime configuration, parsed once at boot from the environment.
 * Every problem is reported at once (ConfigError lists them all), so an operator fixes a
 * broken deployment in one pass instead of one variable per restart.
 */
const boolFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * A rate limit written `<max>/<window>`: at most `max` in any sliding `window` (`s`, `m` or `h`,
 * with an optional count: `30/15m`, `600/1m`, `5/1h`).
 */
const rateRule = z
  .string()
  .regex(/^\s*\d+\s*\/\s*\d*\s*[smh]\s*$/, 'must look like <max>/<window>, e.g. 30/15m (s, m or h)')
  .transform((v, ctx) => {
    const [, max, count, unit] = /^\s*(\d+)\s*\/\s*(\d*)\s*([smh])\s*$/.exec(v)!;
    const windowMs = Number(count || '1') * { s: 1000, m: 60_000, h: 3_600_000 }[unit as 's' | 'm' | 'h'];
    if (Number(max) < 1 || Number(max) > 1_000_000)
      ctx.addIssue({ code: 'custom', message: 'max must be 1–1000000' });
    if (windowMs < 1000 || windowMs > 86_400_000)
      ctx.addIssue({ code: 'custom', message: 'window must be 1s–24h' });
    return { max: Number(max), windowMs };
  });

/**
 * Which proxies may set X-Forwarded-For (Fastify's trustProxy): true/false, a hop count, or a
 * comma-separated list of addresses, CIDRs or proxy-addr names (loopback, linklocal, uniquelocal).
 */
const trustProxyFromEnv = z.string().transform((v, ctx): boolean | number | string[] => {
  const value = v.trim().toLowerCase();
  if (['true', 'yes', 'on'].includes(value)) return true;
  if (['false', 'no', 'off'].includes(value)) return false;
  if (/^\d+$/.test(value)) return Number(value) === 0 ? false : Number(value);
  const entries = value.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !isProxyAddress(e));
  if (bad.length > 0)
    ctx.addIssue({ code: 'custom', message: `not an address, CIDR or hop count: ${bad.join(', ')}` });
  return entries;
});

function isProxyAddress(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address, prefix, extra] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function isSmtpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  /** Where this installation hosts its data (e.g. eu-central-1): the records of processing compare providers' regions with it. */
  CONFIDANT_HOSTING_REGION: z.string().trim().min(1).max(64).optional(),
  CONFIDANT_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  CONFIDANT_MASTER_KEY: z.string().min(1).optional(),
  /** Ed25519 private key (PKCS#8 PEM or base64 DER) that signs audit checkpoints; default: a key file in the data dir. */
  CONFIDANT_AUDIT_SIGNING_KEY: z.string().min(1).optional(),
  CONFIDANT_BOOTSTRAP_API_KEY: z
    .string()
    .regex(/^ck_[A-Za-z0-9_-]{32,}$/, 'must look like ck_ followed by at least 32 url-safe characters')
    .optional(),
  CONFIDANT_DEMO: boolFromEnv.default(true),
  CONFIDANT_ALLOW_SIGNUP: boolFromEnv.default(false),
  CONFIDANT_AUTH_SECRET: z.string().min(32).optional(),
  CONFIDANT_MODEL_BASE_URL: z.url().optional(),
  CONFIDANT_MODEL_API_KEY: z.string().min(1).optional(),
  CONFIDANT_MODEL_NAME: z.string().min(1).optional(),
  /** Which protocol CONFIDANT_MODEL_BASE_URL speaks (modules/models/provider-registry.ts). */
  CONFIDANT_MODEL_KIND: z.enum(MODEL_PROVIDER_KINDS).default('openai-compatible'),
  /** How long a model provider may take to send its first token before the next answerer takes over. */
  CONFIDANT_MODEL_FIRST_TOKEN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
  /** Retries of the operator's model after a retryable failure before its first token (org providers: their own maxRetries). */
  CONFIDANT_MODEL_MAX_RETRIES: z.coerce.number().int().min(0).max(3).default(1),
  /** Amazon Bedrock only: the AWS region of the operator's model. */
  CONFIDANT_MODEL_REGION: z.string().min(1).optional(),
  CONFIDANT_EMBEDDING_BASE_URL: z.url().optional(),
  CONFIDANT_EMBEDDING_MODEL: z.string().min(1).optional(),
  CONFIDANT_EMBEDDING_API_KEY: z.string().min(1).optional(),
  // pgvector's vector type holds at most 16,000 dimensions.
  CONFIDANT_EMBEDDING_DIMENSIONS: z.coerce.number().int().min(1).max(16_000).optional(),
  CONFIDANT_VISITOR_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  CONFIDANT_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
  CONFIDANT_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  CONFIDANT_MAX_PDF_PAGES: z.coerce.number().int().min(1).max(100_000).default(500),
  // What a .docx (unzipped) or a PDF's text streams (inflated) may expand to: bounds memory against bombs.
  CONFIDANT_MAX_EXPANDED_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(50 * 1024 * 1024),
  CONFIDANT_MAX_CSV_ROWS: z.coerce.number().int().min(1).max(10_000_000).default(20_000),
  CONFIDANT_S3_BUCKET: z.string().min(1).optional(),
  CONFIDANT_S3_ENDPOINT: z.url().optional(),
  CONFIDANT_S3_REGION: z.string().min(1).optional(),
  CONFIDANT_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  CONFIDANT_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  CONFIDANT_ALLOW_PRIVATE_NETWORKS: boolFromEnv.default(false),
  // The older name, from when only the crawler fetched tenant URLs: either one true allows.
  CONFIDANT_CRAWL_ALLOW_PRIVATE_NETWORKS: boolFromEnv.default(false),
  CONFIDANT_CRAWL_MAX_PAGES: z.coerce.number().int().min(1).max(10_000).default(200),
  CONFIDANT_CRAWL_MAX_DEPTH: z.coerce.number().int().min(0).max(20).default(3),
  CONFIDANT_CRAWL_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  CONFIDANT_CRAWL_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(250),
  CONFIDANT_CRAWL_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(20_000),
  CONFIDANT_CRAWL_MAX_PAGE_BYTES: z.coerce
    .number()
    .int()
    .min(16 * 1024)
    .max(100 * 1024 * 1024)
    .default(5 * 1024 * 1024),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  // Prefix of every key written to Redis, so deployments (and test runs) can share one server.
  CONFIDANT_REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/)
    .default('confidant:'),
  CONFIDANT_RATE_LIMIT: z.enum(['on', 'off']).default('on'),
  CONFIDANT_RATE_LIMIT_WIDGET_CONFIG: rateRule.default({ max: 120, windowMs: 60_000 }),
  CONFIDANT_RATE_LIMIT_WIDGET_CONVERSATIONS: rateRule.default({ max: 10, windowMs: 60_000 }),
  CONFIDANT_RATE_LIMIT_WIDGET_MESSAGES_PER_CONVERSATION: rateRule.default({ max: 20, windowMs: 60_000 }),
  CONFIDANT_RATE_LIMIT_WIDGET_MESSAGES_PER_IP: rateRule.default({ max: 60, windowMs: 60_000 }),
  CONFIDANT_RATE_LIMIT_ADMIN: rateRule.default({ max: 600, windowMs: 60_000 }),
  CONFIDANT_RATE_LIMIT_AUTH_FAILURES_PER_IP: rateRule.default({ max: 30, windowMs: 15 * 60_000 }),
  CONFIDANT_RATE_LIMIT_SIGN_IN_PER_IP: rateRule.default({ max: 30, windowMs: 10 * 60_000 }),
  CONFIDANT_RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT: rateRule.default({ max: 50, windowMs: 15 * 60_000 }),
  CONFIDANT_RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT_IP: rateRule.default({ max: 10, windowMs: 15 * 60_000 }),
  CONFIDANT_TRUST_PROXY: trustProxyFromEnv.default(false),
  // Credentials ride in the URL (smtp://user:pass@host:587); it is never logged or returned.
  CONFIDANT_SMTP_URL: z
    .string()
    .refine(isSmtpUrl, 'must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example:587')
    .optional(),
  CONFIDANT_SMTP_FROM: z.string().trim().min(3).max(320).default('Confidant <no-reply@localhost>'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string | undefined;
  /** Where the operator says data is hosted (records of processing: transfers); undefined = not stated. */
  hostingRegion: string | undefined;
  dataDir: string;
  database: { kind: 'pglite'; dataDir: string | null } | { kind: 'postgres'; url: string };
  masterKey: string | undefined;
  /** Signs audit checkpoints (platform/crypto/signing-key.ts); absent: <data dir>/audit-signing.key. */
  auditSigningKey: string | undefined;
  bootstrapApiKey: string | undefined;
  demo: boolean;
  /**
   * Anyone may create a console account (and their own organization) from the sign-in page.
   * Off: sign-up only on first run (no user yet) or with a valid invitation for that email.
   */
  allowSignup: boolean;
  authSecret: string | undefined;
  model:
    | {
        kind: ModelProviderKind;
        baseUrl: string;
        apiKey: string | undefined;
        name: string;
        region: string | undefined;
      }
    | undefined;
  /** The operator's model: how long an attempt may take to its first token, and its retries (models/gateway.ts). */
  modelFirstTokenTimeoutMs: number;
  modelMaxRetries: number;
  /** Embeddings for hybrid search (any OpenAI-compatible endpoint); lexical search only when absent. */
  embedding:
    | { baseUrl: string; model: string; apiKey: string | undefined; dimensions: number | undefined }
    | undefined;
  visitorTokenTtlSeconds: number;
  maxBodyBytes: number;
  maxUploadBytes: number;
  /** Limits on what one uploaded document may expand to once read. */
  maxPdfPages: number;
  maxExpandedBytes: number;
  maxCsvRows: number;
  /** Where originals of uploaded files are kept: `<dataDir>/blobs` unless an S3 bucket is set. */
  blobs:
    | { kind: 'local'; dir: string }
    | {
        kind: 's3';
        bucket: string;
        endpoint: string | undefined;
        region: string;
        credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
      };
  /**
   * Outbound requests to URLs tenants give (website sources, an org's model provider): private
   * networks are refused unless allowed; cloud metadata addresses always (platform/net/).
   */
  network: { allowPrivateNetworks: boolean };
  /**
   * Website crawling. maxPages/maxDepth are both the defaults for a URL source and the most it
   * may ask for.
   */
  crawl: {
    maxPages: number;
    maxDepth: number;
    concurrency: number;
    delayMs: number;
    timeoutMs: number;
    maxPageBytes: number;
  };
  /** Redis (rate-limit counters shared by every process); in-process counters when absent. */
  redis: { url: string; keyPrefix: string } | undefined;
  /** Every limit is a sliding window; null when CONFIDANT_RATE_LIMIT=off. See rate-limit docs in README. */
  rateLimits: RateLimits | null;
  /** Fastify's trustProxy: whether (and from which proxies) X-Forwarded-For is believed. */
  trustProxy: boolean | number | string[];
  /**
   * Outgoing email (notifications). `smtpUrl` undefined: nothing is sent; messages are kept in
   * the dev outbox (GET /v1/notifications/outbox). The URL may hold credentials: never log it.
   */
  email: { smtpUrl: string | undefined; from: string };
  logLevel: string;
}>;

export type RateRule = Readonly<{ max: number; windowMs: number }>;

export type RateLimits = Readonly<{
  widgetConfigPerIp: RateRule;
  widgetConversationsPerKeyAndIp: RateRule;
  widgetMessagesPerConversation: RateRule;
  widgetMessagesPerIp: RateRule;
  adminPerPrincipal: RateRule;
  authFailuresPerIp: RateRule;
  signInPerIp: RateRule;
  signInFailuresPerAccount: RateRule;
  signInFailuresPerAccountAndIp: RateRule;
}>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset": shells and compose files often export VAR= for optional values.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  if (e.CONFIDANT_MODEL_BASE_URL && !e.CONFIDANT_MODEL_NAME) {
    problems.push('CONFIDANT_MODEL_NAME: required when CONFIDANT_MODEL_BASE_URL is set');
  }
  if (e.CONFIDANT_EMBEDDING_BASE_URL && !e.CONFIDANT_EMBEDDING_MODEL) {
    problems.push('CONFIDANT_EMBEDDING_MODEL: required when CONFIDANT_EMBEDDING_BASE_URL is set');
  }
  if (e.NODE_ENV === 'production' && e.DATABASE_URL && !e.CONFIDANT_MASTER_KEY) {
    problems.push(
      'CONFIDANT_MASTER_KEY: required in production on PostgreSQL (no key file is generated there)',
    );
  }
  if (e.NODE_ENV === 'production' && e.DATABASE_URL && !e.CONFIDANT_AUTH_SECRET && !e.CONFIDANT_MASTER_KEY) {
    problems.push('CONFIDANT_AUTH_SECRET: required in production unless CONFIDANT_MASTER_KEY is set');
  }
  if (Boolean(e.CONFIDANT_S3_ACCESS_KEY_ID) !== Boolean(e.CONFIDANT_S3_SECRET_ACCESS_KEY)) {
    problems.push('CONFIDANT_S3_ACCESS_KEY_ID and CONFIDANT_S3_SECRET_ACCESS_KEY: set both or neither');
  }
  if (!e.CONFIDANT_S3_BUCKET && (e.CONFIDANT_S3_ENDPOINT || e.CONFIDANT_S3_ACCESS_KEY_ID)) {
    problems.push('CONFIDANT_S3_BUCKET: required when other CONFIDANT_S3_* variables are set');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir = path.resolve(e.CONFIDANT_DATA_DIR);
  return Object.freeze({
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    hostingRegion: e.CONFIDANT_HOSTING_REGION,
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'postgres' as const, url: e.DATABASE_URL }
      : { kind: 'pglite' as const, dataDir: path.join(dataDir, 'pgdata') },
    masterKey: e.CONFIDANT_MASTER_KEY,
    auditSigningKey: e.CONFIDANT_AUDIT_SIGNING_KEY,
    bootstrapApiKey: e.CONFIDANT_BOOTSTRAP_API_KEY,
    demo: e.CONFIDANT_DEMO,
    allowSignup: e.CONFIDANT_ALLOW_SIGNUP,
    authSecret: e.CONFIDANT_AUTH_SECRET,
    model:
      e.CONFIDANT_MODEL_BASE_URL && e.CONFIDANT_MODEL_NAME
        ? {
            kind: e.CONFIDANT_MODEL_KIND,
            baseUrl: e.CONFIDANT_MODEL_BASE_URL,
            apiKey: e.CONFIDANT_MODEL_API_KEY,
            name: e.CONFIDANT_MODEL_NAME,
            region: e.CONFIDANT_MODEL_REGION,
          }
        : undefined,
    modelFirstTokenTimeoutMs: e.CONFIDANT_MODEL_FIRST_TOKEN_TIMEOUT_MS,
    modelMaxRetries: e.CONFIDANT_MODEL_MAX_RETRIES,
    embedding:
      e.CONFIDANT_EMBEDDING_BASE_URL && e.CONFIDANT_EMBEDDING_MODEL
        ? {
            baseUrl: e.CONFIDANT_EMBEDDING_BASE_URL,
            model: e.CONFIDANT_EMBEDDING_MODEL,
            apiKey: e.CONFIDANT_EMBEDDING_API_KEY,
            dimensions: e.CONFIDANT_EMBEDDING_DIMENSIONS,
          }
        : undefined,
    visitorTokenTtlSeconds: e.CONFIDANT_VISITOR_TOKEN_TTL_SECONDS,
    maxBodyBytes: e.CONFIDANT_MAX_BODY_BYTES,
    maxUploadBytes: e.CONFIDANT_MAX_UPLOAD_BYTES,
    maxPdfPages: e.CONFIDANT_MAX_PDF_PAGES,
    maxExpandedBytes: e.CONFIDANT_MAX_EXPANDED_BYTES,
    maxCsvRows: e.CONFIDANT_MAX_CSV_ROWS,
    blobs: e.CONFIDANT_S3_BUCKET
      ? {
          kind: 's3' as const,
          bucket: e.CONFIDANT_S3_BUCKET,
          endpoint: e.CONFIDANT_S3_ENDPOINT,
          region: e.CONFIDANT_S3_REGION ?? 'us-east-1',
          credentials:
            e.CONFIDANT_S3_ACCESS_KEY_ID && e.CONFIDANT_S3_SECRET_ACCESS_KEY
              ? {
                  accessKeyId: e.CONFIDANT_S3_ACCESS_KEY_ID,
                  secretAccessKey: e.CONFIDANT_S3_SECRET_ACCESS_KEY,
                }
              : undefined,
        }
      : { kind: 'local' as const, dir: path.join(dataDir, 'blobs') },
    network: {
      allowPrivateNetworks: e.CONFIDANT_ALLOW_PRIVATE_NETWORKS || e.CONFIDANT_CRAWL_ALLOW_PRIVATE_NETWORKS,
    },
    crawl: {
      maxPages: e.CONFIDANT_CRAWL_MAX_PAGES,
      maxDepth: e.CONFIDANT_CRAWL_MAX_DEPTH,
      concurrency: e.CONFIDANT_CRAWL_CONCURRENCY,
      delayMs: e.CONFIDANT_CRAWL_DELAY_MS,
      timeoutMs: e.CONFIDANT_CRAWL_TIMEOUT_MS,
      maxPageBytes: e.CONFIDANT_CRAWL_MAX_PAGE_BYTES,
    },
    redis: e.REDIS_URL ? { url: e.REDIS_URL, keyPrefix: e.CONFIDANT_REDIS_KEY_PREFIX } : undefined,
    rateLimits:
      e.CONFIDANT_RATE_LIMIT === 'off'
        ? null
        : {
            widgetConfigPerIp: e.CONFIDANT_RATE_LIMIT_WIDGET_CONFIG,
            widgetConversationsPerKeyAndIp: e.CONFIDANT_RATE_LIMIT_WIDGET_CONVERSATIONS,
            widgetMessagesPerConversation: e.CONFIDANT_RATE_LIMIT_WIDGET_MESSAGES_PER_CONVERSATION,
            widgetMessagesPerIp: e.CONFIDANT_RATE_LIMIT_WIDGET_MESSAGES_PER_IP,
            adminPerPrincipal: e.CONFIDANT_RATE_LIMIT_ADMIN,
            authFailuresPerIp: e.CONFIDANT_RATE_LIMIT_AUTH_FAILURES_PER_IP,
            signInPerIp: e.CONFIDANT_RATE_LIMIT_SIGN_IN_PER_IP,
            signInFailuresPerAccount: e.CONFIDANT_RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT,
            signInFailuresPerAccountAndIp: e.CONFIDANT_RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT_IP,
          },
    trustProxy: e.CONFIDANT_TRUST_PROXY,
    email: { smtpUrl: e.CONFIDANT_SMTP_URL, from: e.CONFIDANT_SMTP_FROM },
    logLevel: e.LOG_LEVEL,
  });
}
