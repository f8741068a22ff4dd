/** True when apps/console/dist is missing or older than any console source. */
export function consoleBuildIsStale(): boolean;
/** Builds the console if stale; true when it built. Throws when the build fails. */
export function ensureConsoleBuilt(): boolean;
