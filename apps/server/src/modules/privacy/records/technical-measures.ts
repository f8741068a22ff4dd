import type { TechnicalMeasure } from '@confidant/contract';
import { sql } from 'drizzle-orm';
import type { Config } from '../../../platform/config.js';
import type { Tx } from '../../../platform/db/client.js';
import { type DataMap, encryptedColumns } from '../../../platform/db/data-map.js';
import { queryRows } from '../../../platform/db/query-rows.js';
import { SIGN_CHECKPOINTS_CRON } from '../../audit/jobs/sign-checkpoints.js';
import { ENTITY_TYPES } from '../../models/redaction/index.js';
import { PURGE_RETENTION_CRON } from '../retention/purge-job.js';

/** A job's cron schedule in words ("hourly, at minute 41 (UTC)"), read from the constant itself. */
const schedule = (cron: string) => {
  const hourly = /^(\d+) \* \* \* \*$/.exec(cron);
  return hourly ? `hourly, at minute ${hourly[1]} (UTC)` : `on the cron schedule "${cron}" (UTC)`;
};

/**
 * The technical and organisational measures in force, each computed from the code, the
 * database or the configuration at request time rather than written down: a measure that is
 * not in force says so (inForce: false) instead of disappearing.
 */
export async function technicalMeasures(
  tx: Tx,
  config: Config,
  map: DataMap,
  agents: { storeTranscripts: boolean; name: string }[],
): Promise<TechnicalMeasure[]> {
  const encrypted = encryptedColumns();
  const tenantTables = Object.entries(map)
    .filter(([, t]) => 'org_id' in t.columns)
    .map(([name]) => name);
  // Read from the catalogue, so a table that lost its policy shows here.
  const rls = await queryRows<{ relname: string; enabled: boolean; forced: boolean }>(
    tx,
    sql`select c.relname, c.relrowsecurity as enabled, c.relforcerowsecurity as forced
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = current_schema() and c.relkind = 'r'
           and c.relname in (${sql.join(
             tenantTables.map((t) => sql`${t}`),
             sql`, `,
           )})`,
  );
  const guarded = rls.filter((r) => r.enabled && r.forced).length;
  const tls = config.publicUrl?.startsWith('https://') ?? false;
  const ephemeral = agents.filter((a) => !a.storeTranscripts);
  return [
    {
      id: 'encryption_at_rest',
      title: 'Secrets encrypted at rest (envelope encryption)',
      inForce: encrypted.length > 0,
      detail: `Each secret is sealed with its own data key under AES-256-GCM, the data key wrapped by the master key held outside the database, and bound to its organization, table, column and row. Encrypted columns: ${encrypted.map((c) => `${c.table}.${c.column}`).join(', ')}.`,
    },
    {
      id: 'row_level_security',
      title: 'Tenant isolation by row-level security',
      inForce: tenantTables.length > 0 && guarded === tenantTables.length,
      detail: `Row-level security is enabled and forced on ${guarded} of ${tenantTables.length} tables holding organization data; every query runs with the organization's id as a transaction setting.`,
    },
    {
      id: 'redaction_before_models',
      title: 'Personal data redacted before any model call',
      inForce: true,
      detail: `Before text reaches a model or embedding provider, the redactor replaces these kinds of personal data with placeholders and restores them only in the answer shown: ${ENTITY_TYPES.join(', ')}.`,
    },
    {
      id: 'audit_chain',
      title: 'Tamper-evident audit log with signed checkpoints',
      inForce: true,
      detail: `Every administrative change is recorded (ids, never content) in a hash chain per organization; the chain head is signed with an Ed25519 key held outside the database ${schedule(SIGN_CHECKPOINTS_CRON)} and on demand.`,
    },
    {
      id: 'tls',
      title: 'Encryption in transit (HTTPS)',
      inForce: tls,
      detail: tls
        ? 'The public URL is https://; browsers and the widget reach the service over TLS.'
        : 'The configured public URL is not https:// (or not set): TLS, if any, is the operator’s proxy’s, and cannot be confirmed from the configuration.',
    },
    {
      id: 'retention_purge',
      title: 'Automatic retention purge',
      inForce: true,
      detail: `Expired rows are deleted by a scheduled purge, ${schedule(PURGE_RETENTION_CRON)}, under the periods listed in these records; conversations under legal hold are kept until released.`,
    },
    {
      id: 'ephemeral_agents',
      title: 'Ephemeral mode (no transcript stored)',
      inForce: ephemeral.length > 0,
      detail:
        ephemeral.length > 0
          ? `${ephemeral.length} agent(s) keep conversation text in server memory only while open, never in the database: ${ephemeral.map((a) => a.name).join(', ')}.`
          : 'No agent is in ephemeral mode; transcripts are stored for the retention period.',
    },
  ];
}
