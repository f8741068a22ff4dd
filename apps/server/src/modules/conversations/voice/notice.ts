import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../../platform/db/client.js';
import { type AgentRow, modelProviders } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { agentRecords, recordingDays, voiceConsentText } from './recordings.js';

/**
 * What the widget says about the visitor's voice, from the real settings: who transcribes it and
 * who reads the answers aloud (the org's provider names), and whether recordings are kept: never,
 * or (agent records) only if the visitor agrees, for the enforced `recordings` period.
 */
export async function voiceNotice(
  database: Database,
  agent: AgentRow,
): Promise<{ recording: boolean; notice: string; consentText?: string }> {
  const ids = [agent.voice.transcription?.providerId, agent.voice.speech?.providerId].filter(
    (id): id is string => typeof id === 'string',
  );
  const recording = agentRecords(agent);
  const { rows, days } = await withTenant(database, [agent.orgId], async (tx) => ({
    rows:
      ids.length === 0
        ? []
        : await tx
            .select({ id: modelProviders.id, name: modelProviders.name })
            .from(modelProviders)
            .where(and(eq(modelProviders.orgId, agent.orgId), inArray(modelProviders.id, ids))),
    days: recording ? await recordingDays(tx, agent.orgId) : null,
  }));
  const nameOf = (id: string | undefined) => rows.find((r) => r.id === id)?.name ?? 'our speech provider';
  const hearer = nameOf(agent.voice.transcription?.providerId);
  const speaker = nameOf(agent.voice.speech?.providerId);
  const read = speaker === hearer ? '' : ` Answers are read aloud by ${speaker}.`;
  if (days === null)
    return { recording: false, notice: `Your voice is transcribed by ${hearer} and not kept.${read}` };
  const period = days === 1 ? '1 day' : `${days} days`;
  return {
    recording: true,
    notice: `Your voice is transcribed by ${hearer}; recordings are kept only if you agree, for ${period}.${read}`,
    consentText: voiceConsentText(days),
  };
}
