import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, notFound } from '../../platform/errors.js';
import { chooseEncoding, matchesEtag } from '../../platform/http/content-coding.js';
import { type ConsoleFile, getConsoleAssets } from './assets.js';

/**
 * The console's HTML may load only what the console itself serves: no inline script, no other
 * host. `style-src 'unsafe-inline'` is for style elements Radix's dialog injects (scroll lock);
 * scripts stay strictly 'self'. connect-src 'self' covers the API and the events stream.
 */
export const consoleContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * GET / redirects to the console; GET /console/* serves the built console (apps/console/dist):
 * hashed files under /console/assets/ are immutable, other files (favicon) briefly cached, and
 * every other path is a client-side route answered with index.html (never cached, so a new
 * build is picked up at the next load). Brotli or gzip by Accept-Encoding, precompressed.
 */
export async function consoleAssetRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/console/', 302));

  // With ignoreTrailingSlash, this also answers /console.
  app.get('/console/', { schema: { hide: true } }, async (request, reply) => {
    const assets = await loadOrUnavailable(request);
    return sendIndex(request, reply, assets.index);
  });

  app.get('/console/*', { schema: { hide: true } }, async (request, reply) => {
    const assets = await loadOrUnavailable(request);
    const name = (request.params as { '*': string })['*'];
    const file = assets.files.get(name);
    if (file && name !== 'index.html') {
      const hashed = name.startsWith('assets/');
      return sendFile(request, reply, file, hashed ? IMMUTABLE : 'public, max-age=3600');
    }
    // A missing hashed file is a stale page asking for an old build: a real 404, not the app.
    if (name.startsWith('assets/')) throw notFound('File');
    return sendIndex(request, reply, assets.index);
  });
}

async function loadOrUnavailable(request: FastifyRequest) {
  try {
    return await getConsoleAssets();
  } catch (error) {
    request.log.error({ err: error }, 'console build unavailable');
    throw new AppError('unavailable', 'The console is not built: run npm run build -w apps/console');
  }
}

function sendIndex(request: FastifyRequest, reply: FastifyReply, index: ConsoleFile) {
  reply.header('content-security-policy', consoleContentSecurityPolicy);
  reply.header('referrer-policy', 'same-origin');
  return sendFile(request, reply, index, 'no-cache');
}

function sendFile(request: FastifyRequest, reply: FastifyReply, file: ConsoleFile, cacheControl: string) {
  const wanted = chooseEncoding(request);
  const encoding = file.variants[wanted] ? wanted : 'identity';
  const chosen = file.variants[encoding] ?? file.variants.identity;
  reply
    .header('content-type', file.contentType)
    .header('cache-control', cacheControl)
    .header('etag', chosen.etag)
    .header('vary', 'Accept-Encoding')
    // The console is same-origin only (helmet's app-wide default is cross-origin for the widget).
    .header('cross-origin-resource-policy', 'same-origin');
  if (matchesEtag(request, chosen.etag)) return reply.status(304).send();
  if (encoding !== 'identity') reply.header('content-encoding', encoding);
  return reply.send(chosen.body);
}
