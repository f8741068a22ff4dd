/** apps/server/dist/main.js, the compiled server. */
export const serverEntry: string;
/** True when the compiled server is missing or older than any of its sources. */
export function serverBuildIsStale(): boolean;
/** Builds the server bundle when stale; true when it built. */
export function ensureServerBuilt(options?: { quiet?: boolean }): Promise<boolean>;
