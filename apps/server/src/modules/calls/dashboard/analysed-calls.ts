import type { CallCoaching, CallMetrics } from '@confidant/contract';
import { and, desc, eq, gte, inArray, lt } from 'drizzle-orm';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Tx } from '../../../platform/db/client.js';
import {
  callMetrics,
  callScores,
  calls,
  type StoredCriterionScore,
} from '../../../platform/db/schema/index.js';
import { readStoredCoaching } from './stored-coaching.js';

/**
 * A processed call as the dashboard reads it: plain numbers only (the latest score's total and
 * per-criterion scores, the rep's talk share from the local metrics), plus the decrypted
 * per-call coaching when asked for.
 */
export type AnalysedCall = {
  callId: string;
  title: string;
  repName: string | null;
  createdAt: Date;
  /** The latest score (of the rubric asked for, if any); null: not scored. */
  total: number | null;
  criteria: StoredCriterionScore[];
  /** The rep speaker's share of talk time (0..1); null without metrics. */
  repTalkShare: number | null;
  coaching: CallCoaching | null;
};

export type AnalysedCallQuery = {
  from?: Date;
  /** Exclusive. */
  to?: Date;
  rubricId?: string;
  repName?: string;
  /** Newest first, at most this many. */
  limit?: number;
  withCoaching?: boolean;
};

/**
 * The org's `ready` calls (newest first) in a period, with their latest score and metrics. With
 * `rubricId`, only calls scored with that rubric count, by their latest score for it.
 */
export async function loadAnalysedCalls(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  q: AnalysedCallQuery,
): Promise<AnalysedCall[]> {
  const rows = await tx
    .select({
      id: calls.id,
      title: calls.title,
      repName: calls.repName,
      repSpeaker: calls.repSpeaker,
      createdAt: calls.createdAt,
    })
    .from(calls)
    .where(
      and(
        eq(calls.orgId, orgId),
        eq(calls.status, 'ready'),
        q.from ? gte(calls.createdAt, q.from) : undefined,
        q.to ? lt(calls.createdAt, q.to) : undefined,
        q.repName !== undefined ? eq(calls.repName, q.repName) : undefined,
      ),
    )
    .orderBy(desc(calls.createdAt), desc(calls.id))
    .limit(q.limit ?? MAX_CALLS);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const scores = await tx
    .select({
      callId: callScores.callId,
      rubricId: callScores.rubricId,
      total: callScores.total,
      criteria: callScores.criteria,
    })
    .from(callScores)
    .where(
      and(
        eq(callScores.orgId, orgId),
        inArray(callScores.callId, ids),
        q.rubricId ? eq(callScores.rubricId, q.rubricId) : undefined,
      ),
    )
    .orderBy(desc(callScores.createdAt), desc(callScores.id));
  const latest = new Map<string, (typeof scores)[number]>();
  for (const s of scores) if (!latest.has(s.callId)) latest.set(s.callId, s);
  const metrics = await tx
    .select({ callId: callMetrics.callId, metrics: callMetrics.metrics })
    .from(callMetrics)
    .where(and(eq(callMetrics.orgId, orgId), inArray(callMetrics.callId, ids)));
  const metricsByCall = new Map(metrics.map((m) => [m.callId, m.metrics as unknown as CallMetrics]));
  const coaching = q.withCoaching ? await readStoredCoaching(tx, keyring, orgId, ids) : new Map();
  return rows
    .filter((r) => !q.rubricId || latest.has(r.id))
    .map((r) => {
      const score = latest.get(r.id);
      const rep = metricsByCall.get(r.id)?.speakers?.find((s) => s.speaker === r.repSpeaker);
      return {
        callId: r.id,
        title: r.title,
        repName: r.repName,
        createdAt: r.createdAt,
        total: score?.total ?? null,
        criteria: score?.criteria ?? [],
        repTalkShare: rep ? rep.talkShare : null,
        coaching: coaching.get(r.id) ?? null,
      };
    });
}

/** The most calls one dashboard reads (a period of a large org is summarised, not listed). */
export const MAX_CALLS = 5000;

/** Whether a rep has any call in the org (any status): an unknown rep is a 404. */
export async function repExists(tx: Tx, orgId: string, repName: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: calls.id })
    .from(calls)
    .where(and(eq(calls.orgId, orgId), eq(calls.repName, repName)))
    .limit(1);
  return row !== undefined;
}
