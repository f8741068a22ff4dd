import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The server package's directory (apps/server), found by walking up from this module to the
 * directory holding `drizzle/` (the committed migrations). The same from the TypeScript sources
 * (src/platform/) and from the compiled bundle (dist/main.js), so files read at run time
 * (migrations, demo articles, the console build) are found either way.
 */
function findServerRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'drizzle', 'meta', '_journal.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the server directory (apps/server/drizzle)');
    dir = parent;
  }
}

export const serverRoot = findServerRoot();
