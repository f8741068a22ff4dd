import { ensureConsoleBuilt } from './apps/console/scripts/ensure-built.mjs';

/** Runs once before the suite: tests that load /console/ need the built console (a no-op when fresh). */
export default function setup() {
  ensureConsoleBuilt();
}
