import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { chooseEncoding, matchesEtag } from '../../platform/http/content-coding.js';
import { getWidgetAssets, type WidgetAsset } from './assets.js';

/**
 * GET /widget.js (the launcher every site embeds) and GET /widget-panel.js (the chat panel it
 * imports on first open). Public, cacheable, loadable from any site: `access-control-allow-origin: *`
 * because the panel is fetched as a module script (CORS mode), and CORP cross-origin.
 * The launcher URL is fixed in customers' pages, so it is cached briefly; the panel URL carries
 * its content hash (`?v=`), so that exact version is immutable. Both are sent brotli- or
 * gzip-compressed when the client accepts it (precompressed once, `Vary: Accept-Encoding`).
 */
export async function widgetAssetRoutes(app: FastifyInstance): Promise<void> {
  app.get('/widget.js', { schema: { hide: true } }, async (request, reply) => {
    const assets = await loadOrUnavailable(request);
    return sendScript(request, reply, assets.launcher, 'public, max-age=300, stale-while-revalidate=3600');
  });

  app.get('/widget-panel.js', { schema: { hide: true } }, async (request, reply) => {
    const assets = await loadOrUnavailable(request);
    const version = (request.query as Record<string, unknown>).v;
    const cacheControl =
      version === assets.panelVersion ? 'public, max-age=31536000, immutable' : 'public, max-age=300';
    return sendScript(request, reply, assets.panel, cacheControl);
  });

  // The flow runner the panel imports for agents with a flow; versioned like the panel.
  app.get('/widget-flow.js', { schema: { hide: true } }, async (request, reply) => {
    const assets = await loadOrUnavailable(request);
    const version = (request.query as Record<string, unknown>).v;
    const cacheControl =
      version === assets.flowVersion ? 'public, max-age=31536000, immutable' : 'public, max-age=300';
    return sendScript(request, reply, assets.flow, cacheControl);
  });

  // The microphone the panel imports for agents that take voice; versioned like the panel.
  app.get('/widget-voice.js', { schema: { hide: true } }, async (request, reply) => {
    const assets = await loadOrUnavailable(request);
    const version = (request.query as Record<string, unknown>).v;
    const cacheControl =
      version === assets.voiceVersion ? 'public, max-age=31536000, immutable' : 'public, max-age=300';
    return sendScript(request, reply, assets.voice, cacheControl);
  });
}

async function loadOrUnavailable(request: FastifyRequest) {
  try {
    return await getWidgetAssets();
  } catch (error) {
    request.log.error({ err: error }, 'widget bundles unavailable');
    throw new AppError('unavailable', 'The widget is not available right now');
  }
}

function sendScript(request: FastifyRequest, reply: FastifyReply, asset: WidgetAsset, cacheControl: string) {
  const encoding = chooseEncoding(request);
  const chosen = asset[encoding];
  reply
    .header('content-type', 'text/javascript; charset=utf-8')
    .header('cache-control', cacheControl)
    .header('etag', chosen.etag)
    .header('vary', 'Accept-Encoding')
    .header('access-control-allow-origin', '*')
    .header('cross-origin-resource-policy', 'cross-origin');
  if (matchesEtag(request, chosen.etag)) return reply.status(304).send();
  if (encoding !== 'identity') reply.header('content-encoding', encoding);
  return reply.send(chosen.body);
}
