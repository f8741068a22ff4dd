import { randomUUID } from 'node:crypto';
import type { CallCoaching, CallMetrics } from '@confidant/contract';
import { encryptSecret } from '../../../../platform/crypto/envelope.js';
import type { Keyring } from '../../../../platform/crypto/keyring.js';
import type { Database } from '../../../../platform/db/client.js';
import {
  type CallStatusValue,
  callCoaching,
  callMetrics,
  callScores,
  calls,
  type StoredCriterionScore,
} from '../../../../platform/db/schema/index.js';
import { withTenant } from '../../../../platform/db/tenancy.js';
import { coachingLocation, scoreLocation } from '../../service.js';

/**
 * Test helper: a processed call with its score, metrics and coaching, as the calls pipeline
 * stores them (plain numbers; coaching and score details envelope-encrypted with the calls
 * service's bindings). Written directly: the pipeline's store steps are private to
 * pipeline/process-call.ts, and running it needs speech and model servers per call.
 */
export type SeededCall = {
  title: string;
  repName: string | null;
  createdAt: string;
  status?: CallStatusValue;
  repSpeaker?: string;
  score?: { rubricId: string; rubricName: string; total: number; criteria: StoredCriterionScore[] };
  /** The rep speaker's talk share (metrics with the rep as speaker A and one customer). */
  repTalkShare?: number;
  coaching?: CallCoaching;
};

export async function seedAnalysedCall(
  database: Database,
  keyring: Keyring,
  orgId: string,
  call: SeededCall,
): Promise<string> {
  const id = randomUUID();
  const createdAt = new Date(call.createdAt);
  await withTenant(database, [orgId], async (tx) => {
    await tx.insert(calls).values({
      orgId,
      id,
      title: call.title,
      repName: call.repName,
      status: call.status ?? 'ready',
      progress: call.status && call.status !== 'ready' ? 0 : 1,
      mediaType: 'audio/wav',
      byteSize: 1000,
      durationSeconds: 60,
      repSpeaker: call.repSpeaker ?? 'A',
      diarized: true,
      score: call.score?.total ?? null,
      createdAt,
      updatedAt: createdAt,
      processedAt: call.status && call.status !== 'ready' ? null : createdAt,
    });
    if (call.score) {
      const scoreId = randomUUID();
      await tx.insert(callScores).values({
        orgId,
        id: scoreId,
        callId: id,
        rubricId: call.score.rubricId,
        rubricName: call.score.rubricName,
        total: call.score.total,
        criteria: call.score.criteria,
        detailsCiphertext: encryptSecret(
          keyring,
          JSON.stringify({ criteria: [] }),
          scoreLocation(orgId, scoreId),
        ),
        model: 'gpt-4o-mini',
        createdAt,
      });
    }
    if (call.repTalkShare !== undefined) {
      const metrics: Pick<CallMetrics, 'durationSeconds' | 'speakers'> = {
        durationSeconds: 60,
        speakers: [
          speaker(call.repSpeaker ?? 'A', 'rep', call.repTalkShare),
          speaker(call.repSpeaker === 'B' ? 'A' : 'B', 'customer', 1 - call.repTalkShare),
        ],
      };
      await tx.insert(callMetrics).values({ orgId, callId: id, metrics, createdAt });
    }
    if (call.coaching) {
      const coachingId = randomUUID();
      await tx.insert(callCoaching).values({
        orgId,
        id: coachingId,
        callId: id,
        coachingCiphertext: encryptSecret(
          keyring,
          JSON.stringify(call.coaching),
          coachingLocation(orgId, coachingId),
        ),
        model: 'gpt-4o-mini',
        createdAt,
      });
    }
  });
  return id;
}

const speaker = (label: string, role: 'rep' | 'customer', talkShare: number) => ({
  speaker: label,
  role,
  talkSeconds: 60 * talkShare,
  talkShare,
  longestMonologueSeconds: 10,
  questions: 1,
  interruptions: 0,
  wordsPerMinute: 150,
  fillerWords: 0,
  fillerCounts: {},
});
