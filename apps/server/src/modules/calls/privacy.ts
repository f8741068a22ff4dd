import { and, asc, eq, inArray, or } from 'drizzle-orm';
import { decryptSecret } from '../../platform/crypto/envelope.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import { callCoaching, callMetrics, calls } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { type HashedKind, subjectHash } from '../privacy/subjects/subject-hash.js';
import { type CallDeps, deleteCallsAndAudio, readCoaching, readScores, readSegments } from './service.js';

/**
 * A customer's calls in data-subject requests (modules/privacy/requests/). Calls are not linked
 * to conversations, so the data-map-driven subject tables do not reach them: a call is the
 * subject's when the email or phone number given at upload has the subject's keyed hash.
 * Export: the calls' metadata, transcript, scores, metrics and coaching (decrypted); erasure:
 * the calls with everything hanging off them and their audio files (deleteCallsAndAudio).
 */
export async function findSubjectCalls(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  subject: { kind: string; value: string },
): Promise<string[]> {
  if (subject.kind !== 'email' && subject.kind !== 'phone') return [];
  const hash = subjectHash(keyring, orgId, subject.kind as HashedKind, subject.value);
  const rows = await tx
    .select({ id: calls.id })
    .from(calls)
    .where(
      and(
        eq(calls.orgId, orgId),
        subject.kind === 'email' ? eq(calls.customerEmailHash, hash) : eq(calls.customerPhoneHash, hash),
      ),
    )
    .orderBy(asc(calls.createdAt));
  return rows.map((r) => r.id);
}

/** The subject's calls as export tables (table name → rows), in the export document's style. */
export async function collectSubjectCalls(
  deps: { database: CallDeps['database']; keyring: Keyring },
  orgId: string,
  callIds: string[],
): Promise<Record<string, Record<string, unknown>[]>> {
  if (callIds.length === 0) return {};
  const { keyring } = deps;
  return withTenant(deps.database, [orgId], async (tx) => {
    const rows = await tx
      .select()
      .from(calls)
      .where(and(eq(calls.orgId, orgId), inArray(calls.id, callIds)))
      .orderBy(asc(calls.createdAt));
    const open = (value: string | null, column: string, rowId: string) =>
      value ? decryptSecret(keyring, value, { orgId, table: 'calls', column, rowId }) : null;
    const out: Record<string, Record<string, unknown>[]> = { calls: [], call_segments: [], call_scores: [] };
    out.call_metrics = [];
    out.call_coaching = [];
    for (const call of rows) {
      out.calls!.push({
        id: call.id,
        title: call.title,
        rep_name: call.repName,
        status: call.status,
        media_type: call.mediaType,
        duration_seconds: call.durationSeconds,
        language: call.language,
        score: call.score,
        customer_email: open(call.customerEmailCiphertext, 'customer_email_ciphertext', call.id),
        customer_phone: open(call.customerPhoneCiphertext, 'customer_phone_ciphertext', call.id),
        created_at: call.createdAt.toISOString(),
      });
      for (const s of await readSegments(tx, keyring, orgId, call.id)) {
        out.call_segments!.push({ call_id: call.id, ...s });
      }
      for (const s of await readScores(tx, keyring, orgId, call.id)) {
        out.call_scores!.push({ call_id: call.id, ...s });
      }
      const [metrics] = await tx
        .select()
        .from(callMetrics)
        .where(and(eq(callMetrics.orgId, orgId), eq(callMetrics.callId, call.id)));
      if (metrics) out.call_metrics!.push({ call_id: call.id, metrics: metrics.metrics });
      const coaching = await readCoaching(tx, keyring, orgId, call.id);
      if (coaching) out.call_coaching!.push({ call_id: call.id, ...coaching });
    }
    for (const key of Object.keys(out)) if (out[key]!.length === 0) delete out[key];
    return out;
  });
}

/** Erases the subject's calls: rows of every call table and the audio files. Counts by table. */
export async function eraseSubjectCalls(
  deps: CallDeps,
  orgId: string,
  callIds: string[],
): Promise<Record<string, number>> {
  if (callIds.length === 0) return {};
  const coaching = await withTenant(deps.database, [orgId], (tx) =>
    tx
      .select({ id: callCoaching.id })
      .from(callCoaching)
      .where(and(eq(callCoaching.orgId, orgId), or(inArray(callCoaching.callId, callIds)))),
  );
  const recordings = await deleteCallsAndAudio(deps, orgId, callIds);
  return {
    calls: callIds.length,
    call_recordings: recordings,
    ...(coaching.length > 0 ? { call_coaching: coaching.length } : {}),
  };
}
