import type { FastifyInstance } from 'fastify';
import type { EventStream } from './event-stream.js';

/**
 * Live event streams never end by themselves. This keeps the open ones of a route plugin so
 * shutdown (preClose) can end them — clients reconnect, to another process or after the
 * restart — and runs each stream's clean-up exactly once, whether the client left or the
 * server closed it.
 */
export function liveStreams(app: FastifyInstance) {
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const close of open) close();
  });
  return {
    /** Keeps the stream until the client leaves or the server closes; returns what closes it now. */
    keep(stream: EventStream, cleanUp: () => void): () => void {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        open.delete(close);
        cleanUp();
      };
      const close = () => {
        finish();
        stream.end();
      };
      open.add(close);
      stream.onClientGone(finish);
      return close;
    },
  };
}
