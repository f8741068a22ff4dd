import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['apps/*/src/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'bench/**/*.test.ts'],
    // Builds the console once when apps/console/dist is missing or stale (tests serve it), warms the
    // migrated PGlite template and starts the one Chromium the browser tests share.
    globalSetup: ['./vitest.global-setup.ts'],
    // Browser and multi-step tests take 20–30 s on the loaded 2-core box (some took 30.7 s there);
    // a hung test is still reported within a minute.
    testTimeout: 60_000,
    // expect.poll waits for effects that run elsewhere (a job, a browser render, another
    // process); Vitest's 1 s default failed on the loaded 2-core box with the effect on its way.
    expect: { poll: { timeout: 15_000 } },
    // Hooks boot apps and browsers; generous so a loaded shared box does not fail them.
    hookTimeout: 120_000,
    // PGlite instances are memory-heavy and the CI box has 2 cores.
    maxWorkers: 2,
    // Files in a worker share its loaded modules: importing the server (Fastify, the AI SDKs, ~500
    // modules) cost ~4 s CPU per file. Tests keep no state in modules (no vi.mock; each builds
    // its own app and database) and the few that change process.env restore it.
    isolate: false,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
  },
});
