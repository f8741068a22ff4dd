import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import { bundleWidget, panelVersionOf, widgetDistDir } from '@confidant/widget/bundle';
import type { Encoding } from '../../platform/http/content-coding.js';

/**
 * One served file in every coding, compressed once when the bundle is built (the best settings:
 * the cost is paid once per process, every page view gets the smallest bytes). Each coding has
 * its own strong ETag, as different representations must (RFC 9110 §8.8.3).
 */
export type WidgetAsset = Record<Encoding, { body: Buffer; etag: string }>;

/** The launcher (/widget.js) and the lazily loaded panel (/widget-panel.js). */
export type WidgetAssets = {
  launcher: WidgetAsset;
  panel: WidgetAsset;
  panelVersion: string;
  /** The flow runner (/widget-flow.js), imported by the panel only for agents with a flow. */
  flow: WidgetAsset;
  flowVersion: string;
  /** The microphone (/widget-voice.js), imported by the panel only for agents that take voice. */
  voice: WidgetAsset;
  voiceVersion: string;
};

const asset = (code: string): WidgetAsset => {
  const body = Buffer.from(code, 'utf8');
  const tag = createHash('sha256').update(body).digest('base64url').slice(0, 22);
  return {
    identity: { body, etag: `"${tag}"` },
    gzip: { body: gzipSync(body, { level: 9 }), etag: `"${tag}-gz"` },
    br: {
      body: brotliCompressSync(body, {
        params: {
          [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY,
          [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
          [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      }),
      etag: `"${tag}-br"`,
    },
  };
};

/**
 * Bundles from source with esbuild (in memory) so a running server never serves a stale widget
 * after an edit; falls back to apps/widget/dist (written by `npm run build`) where the source or
 * esbuild is not shipped. Either way the result is identical for identical sources.
 */
async function loadWidgetAssets(): Promise<WidgetAssets> {
  let bundled: {
    launcher: string;
    panel: string;
    panelVersion: string;
    flow: string;
    flowVersion: string;
    voice: string;
    voiceVersion: string;
  };
  try {
    bundled = await bundleWidget();
  } catch (bundleError) {
    try {
      const [launcher, panel, flow, voice] = await Promise.all([
        readFile(path.join(widgetDistDir, 'widget.js'), 'utf8'),
        readFile(path.join(widgetDistDir, 'widget-panel.js'), 'utf8'),
        readFile(path.join(widgetDistDir, 'widget-flow.js'), 'utf8'),
        readFile(path.join(widgetDistDir, 'widget-voice.js'), 'utf8'),
      ]);
      bundled = {
        launcher,
        panel,
        panelVersion: panelVersionOf(panel),
        flow,
        flowVersion: panelVersionOf(flow),
        voice,
        voiceVersion: panelVersionOf(voice),
      };
    } catch {
      throw new Error(
        `widget bundles unavailable: esbuild failed (${bundleError instanceof Error ? bundleError.message : String(bundleError)}) and apps/widget/dist is missing; run npm run build`,
      );
    }
  }
  return {
    launcher: asset(bundled.launcher),
    panel: asset(bundled.panel),
    panelVersion: bundled.panelVersion,
    flow: asset(bundled.flow),
    flowVersion: bundled.flowVersion,
    voice: asset(bundled.voice),
    voiceVersion: bundled.voiceVersion,
  };
}

let cached: Promise<WidgetAssets> | undefined;

/** The bundles, built once per process on first use and kept in memory. */
export function getWidgetAssets(): Promise<WidgetAssets> {
  cached ??= loadWidgetAssets().catch((error: unknown) => {
    // A failed build is not cached: the next request tries again.
    cached = undefined;
    throw error;
  });
  return cached;
}
