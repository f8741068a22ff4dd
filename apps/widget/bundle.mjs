// Bundles the widget with esbuild, in memory. Used by build.mjs (writes dist/) and by the server
// (serves /widget.js and /widget-panel.js from memory), so both always produce identical files.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

export const widgetDistDir = path.join(root, 'dist');
export const widgetSourceDir = path.join(root, 'src');

/** Short content hash of the panel bundle; the launcher requests `widget-panel.js?v=<hash>`. */
export function panelVersionOf(panelCode) {
  return createHash('sha256').update(panelCode).digest('hex').slice(0, 12);
}

export async function bundleWidget() {
  const esbuild = await import('esbuild');
  const common = {
    bundle: true,
    minify: true,
    write: false,
    // ES2020 browsers (2020+): dynamic import, optional chaining, Shadow DOM, fetch streams.
    target: ['es2020'],
    legalComments: 'none',
    logLevel: 'silent',
    tsconfig: path.join(root, '..', '..', 'tsconfig.json'),
  };
  // The flow runner is a third bundle the panel imports only for agents with a flow.
  const flow = await esbuild.build({
    ...common,
    entryPoints: [path.join(widgetSourceDir, 'flow.ts')],
    format: 'esm',
  });
  const flowCode = flow.outputFiles[0].text;
  const flowVersion = panelVersionOf(flowCode);
  // The microphone is a fourth, imported only for agents that take voice messages.
  const voice = await esbuild.build({
    ...common,
    entryPoints: [path.join(widgetSourceDir, 'voice.ts')],
    format: 'esm',
  });
  const voiceCode = voice.outputFiles[0].text;
  const voiceVersion = panelVersionOf(voiceCode);
  const panel = await esbuild.build({
    ...common,
    entryPoints: [path.join(widgetSourceDir, 'panel.ts')],
    format: 'esm',
    define: {
      __FLOW_VERSION__: JSON.stringify(flowVersion),
      __VOICE_VERSION__: JSON.stringify(voiceVersion),
    },
  });
  const panelCode = panel.outputFiles[0].text;
  const panelVersion = panelVersionOf(panelCode);
  const launcher = await esbuild.build({
    ...common,
    entryPoints: [path.join(widgetSourceDir, 'launcher.ts')],
    format: 'iife',
    define: { __PANEL_VERSION__: JSON.stringify(panelVersion) },
  });
  return {
    launcher: launcher.outputFiles[0].text,
    panel: panelCode,
    panelVersion,
    flow: flowCode,
    flowVersion,
    voice: voiceCode,
    voiceVersion,
  };
}
