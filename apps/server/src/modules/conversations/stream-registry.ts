/**
 * The answer streams in flight, so that shutdown can finish them instead of cutting visitors off
 * mid-sentence: once closing, no new stream starts (503) and `drain` waits — bounded — for the
 * open ones to end.
 */
export type StreamRegistry = {
  readonly closing: boolean;
  readonly size: number;
  /** Tracks a running stream until its promise settles. */
  track(stream: Promise<unknown>): void;
  /** Refuses new streams from now on and waits up to `timeoutMs` for open ones; true if all ended. */
  drain(timeoutMs: number): Promise<boolean>;
};

export function createStreamRegistry(): StreamRegistry {
  const active = new Set<Promise<unknown>>();
  let closing = false;
  return {
    get closing() {
      return closing;
    },
    get size() {
      return active.size;
    },
    track(stream) {
      const settled = stream.then(
        () => undefined,
        () => undefined,
      );
      active.add(settled);
      void settled.then(() => active.delete(settled));
    },
    async drain(timeoutMs) {
      closing = true;
      if (active.size === 0) return true;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
        timer.unref();
      });
      const all = Promise.all([...active]).then(() => true as const);
      const done = await Promise.race([all, timeout]);
      clearTimeout(timer);
      return done;
    },
  };
}
