import { getTableColumns, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Config } from '../../../../platform/config.js';
import type { Keyring } from '../../../../platform/crypto/keyring.js';
import type { Tx } from '../../../../platform/db/client.js';
import { knowledgeSources } from '../../../../platform/db/schema/index.js';
import { AppError } from '../../../../platform/errors.js';
import {
  FetchError,
  FetchRefusedError,
  type ResolveHost,
  resolveAllowedAddresses,
} from '../../../../platform/net/outbound-policy.js';
import { type Actor, recordAudit } from '../../../audit/service.js';
import { type SourceView, sourceView } from '../service.js';
import { TITLE_MAX, titleSchema } from '../upload.js';

/**
 * Website sources: the JSON body that creates one, the checks made before anything is written,
 * and how its stored options become the limits of a crawl.
 */

const MAX_URL_LENGTH = 2048;
const MAX_REFRESH_HOURS = 24 * 365;
/** How long creating a source waits for DNS before answering. */
const RESOLVE_TIMEOUT_MS = 10_000;

/** An absolute http(s) URL without credentials, as typed by a person (trimmed, fragment dropped). */
const httpUrl = z
  .string()
  .trim()
  .min(1, 'must not be blank')
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  .transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute URL such as https://help.example.com/' });
      return z.NEVER;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: 'must be an http or https URL' });
      return z.NEVER;
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'must not contain a user name or password' });
      return z.NEVER;
    }
    url.hash = '';
    return url.href;
  });

/** `{ "type": "url", "url", "title"?, "maxPages"?, "maxDepth"?, "sitemapUrl"?, "refreshIntervalHours"? }` */
export const urlSourceBody = z
  .strictObject({
    type: z.literal('url'),
    url: httpUrl,
    title: titleSchema.optional(),
    maxPages: z.number().int().min(1).optional(),
    maxDepth: z.number().int().min(0).optional(),
    sitemapUrl: httpUrl.optional(),
    refreshIntervalHours: z
      .number()
      .int()
      .min(1)
      .max(MAX_REFRESH_HOURS, `must be at most ${MAX_REFRESH_HOURS} (a year)`)
      .optional(),
  })
  .superRefine((body, ctx) => {
    if (body.sitemapUrl && new URL(body.sitemapUrl).origin !== new URL(body.url).origin) {
      ctx.addIssue({
        code: 'custom',
        path: ['sitemapUrl'],
        message: 'must be on the same site (scheme, host and port) as url',
      });
    }
  });
export type UrlSourceBody = z.infer<typeof urlSourceBody>;

/**
 * The checks that need the configuration and the network, made before anything is written:
 * limits within the operator's, and the site's address allowed by the SSRF policy (the crawl
 * checks again on every request; this is so a person learns at once).
 */
export async function checkUrlSource(
  body: UrlSourceBody,
  config: Config,
  resolveHost?: ResolveHost,
): Promise<void> {
  const issues: { path: string; message: string }[] = [];
  if (body.maxPages !== undefined && body.maxPages > config.crawl.maxPages) {
    issues.push({ path: 'body.maxPages', message: `must be at most ${config.crawl.maxPages}` });
  }
  if (body.maxDepth !== undefined && body.maxDepth > config.crawl.maxDepth) {
    issues.push({ path: 'body.maxDepth', message: `must be at most ${config.crawl.maxDepth}` });
  }
  if (issues.length > 0) {
    throw new AppError('validation_failed', 'The request does not match the expected shape', issues);
  }
  try {
    await resolveAllowedAddresses(
      new URL(body.url),
      { allowPrivateNetworks: config.network.allowPrivateNetworks, ...(resolveHost ? { resolveHost } : {}) },
      AbortSignal.timeout(RESOLVE_TIMEOUT_MS),
    );
  } catch (error) {
    if ((error as Error)?.name === 'TimeoutError') {
      throw new AppError(
        'bad_request',
        `The website cannot be crawled: ${new URL(body.url).hostname} did not resolve in time`,
      );
    }
    if (error instanceof FetchRefusedError || error instanceof FetchError) {
      throw new AppError('bad_request', `The website cannot be crawled: ${error.message}`);
    }
    throw error;
  }
}

/** The default title: host and path, e.g. "help.example.com/docs". */
const titleFromUrl = (href: string) => {
  const url = new URL(href);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.host}${path}`.slice(0, TITLE_MAX);
};

/** Every column but `content`, as the API view needs. */
const { content: _content, ...viewColumns } = getTableColumns(knowledgeSources);

/**
 * Records a website source as `queued`, with its audit entry, in the caller's transaction; the
 * caller enqueues the crawl after commit. A refresh interval schedules the next re-crawl.
 */
export async function createUrlSource(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  body: UrlSourceBody,
): Promise<SourceView> {
  const options = {
    ...(body.maxPages !== undefined ? { maxPages: body.maxPages } : {}),
    ...(body.maxDepth !== undefined ? { maxDepth: body.maxDepth } : {}),
    ...(body.sitemapUrl ? { sitemapUrl: body.sitemapUrl } : {}),
    ...(body.refreshIntervalHours ? { refreshIntervalHours: body.refreshIntervalHours } : {}),
  };
  const [row] = await tx
    .insert(knowledgeSources)
    .values({
      orgId,
      type: 'url',
      title: body.title ?? titleFromUrl(body.url),
      url: body.url,
      options,
      status: 'queued',
      // Database time, like created_at: the schedule does not depend on this process's clock.
      nextRefreshAt: body.refreshIntervalHours
        ? sql`now() + make_interval(hours => ${body.refreshIntervalHours}::int)`
        : null,
    })
    .returning(viewColumns);
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'knowledge_source.created',
    targetType: 'knowledge_source',
    targetId: row!.id,
    metadata: { type: 'url', byteSize: 0 },
  });
  return sourceView(row!);
}
