#!/usr/bin/env node
/**
 * `npm start`: compiles the server when its build is stale (build-server.mjs), then runs the
 * compiled JavaScript in this process. Arguments pass through (`npm start -- --role worker`).
 */
import { pathToFileURL } from 'node:url';
import { ensureServerBuilt, serverEntry } from './build-server.mjs';

await ensureServerBuilt();
const { runMain } = await import(pathToFileURL(serverEntry).href);
runMain();
