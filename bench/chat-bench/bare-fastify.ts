import Fastify from 'fastify';

/**
 * The peer for request rates: a bare Fastify app (no plugins, no hooks) answering GET /healthz
 * with the same body as Confidant's. Prints `listening <URL>` on stdout once ready.
 */
const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ status: 'ok' }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening ${url}\n`);
