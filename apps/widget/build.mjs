// `npm run build -w apps/widget`: writes dist/widget.js (launcher), dist/widget-panel.js (panel,
// loaded on first open), widget-flow.js and widget-voice.js (lazy, only when needed) and prints their sizes. The server serves these files when it cannot
// bundle from source itself.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleWidget, widgetDistDir } from './bundle.mjs';

const { launcher, panel, flow, voice } = await bundleWidget();
await mkdir(widgetDistDir, { recursive: true });
for (const [name, code] of [
  ['widget.js', launcher],
  ['widget-panel.js', panel],
  ['widget-flow.js', flow],
  ['widget-voice.js', voice],
]) {
  await writeFile(path.join(widgetDistDir, name), code);
  const bytes = Buffer.byteLength(code);
  console.log(`${name}: ${bytes} bytes (${gzipSync(code).length} gzipped)`);
}
