import path from 'node:path';
import pg from 'pg';
import { openPglite } from '../../apps/server/src/platform/db/client.js';

/**
 * Pre-loads stored history straight into the database while no server runs on it (PGlite's data
 * dir is exclusive): `messages` messages in closed conversations of the bench org's agent, 50 per
 * conversation, as months of traffic would leave them. Connects as a superuser (PGlite's own
 * user; the PostgreSQL admin URL), so row-level security does not apply to the bulk insert.
 */
const PER_CONVERSATION = 50;

const statements = (orgId: string, agentId: string, messages: number) => {
  const conversations = Math.ceil(messages / PER_CONVERSATION);
  return [
    `insert into conversations (org_id, id, agent_id, status, created_at, last_message_at, closed_at)
       select '${orgId}', gen_random_uuid(), '${agentId}', 'closed', now() - (g || ' minutes')::interval,
              now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval
       from generate_series(1, ${conversations}) g`,
    `insert into messages (org_id, id, conversation_id, role, content, client_message_id, created_at)
       select c.org_id, gen_random_uuid(), c.id, case when m % 2 = 1 then 'visitor' else 'assistant' end,
              'Stored history message ' || m || ' about shipping, returns and refunds.',
              case when m % 2 = 1 then 'pre-' || m end, c.created_at + (m || ' seconds')::interval
       from conversations c cross join generate_series(1, ${PER_CONVERSATION}) m
       where c.org_id = '${orgId}' and c.agent_id = '${agentId}' and c.status = 'closed'`,
  ];
};

export async function preloadPglite(dataDir: string, orgId: string, agentId: string, messages: number) {
  // The server keeps its PGlite database in <data dir>/pgdata (platform/config.ts).
  const database = await openPglite(path.join(dataDir, 'pgdata'));
  try {
    for (const s of statements(orgId, agentId, messages)) await database.pglite!.exec(s);
  } finally {
    await database.close();
  }
}

export async function preloadPostgres(
  adminUrl: string,
  databaseName: string,
  orgId: string,
  agentId: string,
  messages: number,
) {
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    for (const s of statements(orgId, agentId, messages)) await client.query(s);
  } finally {
    await client.end();
  }
}
