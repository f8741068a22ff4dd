import type { Keyring } from '../../../platform/crypto/keyring.js';
import { chainKey, type EntryFields, GENESIS_HASH, keyedEntryHash } from '../chain-mac.js';

/**
 * The strongest insider tests guard against: someone with superuser access to the database AND
 * the master key rewrites one entry and recomputes every MAC after it, so the chain itself checks
 * out again. Only a signed checkpoint kept outside the server can reveal it.
 *
 * `sql` runs statements as a database superuser (testing/superuser-sql.ts or PGlite's exec).
 */
type Sql = {
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  exec(text: string): Promise<void>;
};

type Row = {
  seq: string | number;
  at: Date | string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  metadata: Record<string, string | number | boolean | null>;
  key_version: number;
};

const quote = (value: string | null) => (value === null ? 'NULL' : `'${value.replaceAll("'", "''")}'`);

export async function rewriteHistoryWithKeys(
  sql: Sql,
  keyring: Keyring,
  orgId: string,
  seq: number,
  newTargetId: string,
): Promise<void> {
  const rows = await sql.query<Row>(
    'select seq, at, actor_type, actor_id, action, target_type, target_id, metadata, key_version from audit_log where org_id = $1 order by seq',
    [orgId],
  );
  let prevHash = GENESIS_HASH;
  const statements: string[] = [];
  for (const row of rows) {
    const fields: EntryFields = {
      orgId,
      seq: Number(row.seq),
      at: new Date(row.at),
      actorType: row.actor_type,
      actorId: row.actor_id,
      action: row.action,
      targetType: row.target_type,
      targetId: Number(row.seq) === seq ? newTargetId : row.target_id,
      metadata: row.metadata,
    };
    const hash = keyedEntryHash(
      chainKey(keyring, row.key_version, orgId)!,
      row.key_version,
      prevHash,
      fields,
    );
    statements.push(
      `UPDATE audit_log SET target_id = ${quote(fields.targetId)}, prev_hash = '${prevHash}', hash = '${hash}' WHERE org_id = '${orgId}' AND seq = ${fields.seq}`,
    );
    prevHash = hash;
  }
  statements.push(`UPDATE audit_heads SET hash = '${prevHash}' WHERE org_id = '${orgId}'`);
  await sql.exec(`BEGIN;
    ALTER TABLE audit_log DISABLE TRIGGER USER;
    ${statements.join(';\n')};
    ALTER TABLE audit_log ENABLE TRIGGER USER;
    COMMIT;`);
}
