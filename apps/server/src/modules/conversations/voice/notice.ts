import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../../platform/db/client.js';
import { type AgentRow, modelProviders } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';

/**
 * What the widget says about the visitor's voice, from the real settings: who transcribes it and
 * who reads the answers aloud (the org's provider names), and that the audio is not kept.
 */
export async function voiceNotice(
  database: Database,
  agent: AgentRow,
): Promise<{ recording: boolean; notice: string }> {
  const ids = [agent.voice.transcription?.providerId, agent.voice.speech?.providerId].filter(
    (id): id is string => typeof id === 'string',
  );
  const rows =
    ids.length === 0
      ? []
      : await withTenant(database, [agent.orgId], (tx) =>
          tx
            .select({ id: modelProviders.id, name: modelProviders.name })
            .from(modelProviders)
            .where(and(eq(modelProviders.orgId, agent.orgId), inArray(modelProviders.id, ids))),
        );
  const nameOf = (id: string | undefined) => rows.find((r) => r.id === id)?.name ?? 'our speech provider';
  const hearer = nameOf(agent.voice.transcription?.providerId);
  const speaker = nameOf(agent.voice.speech?.providerId);
  // Keeping recordings (recordAudio + consent) is not built yet: never offered, never kept.
  const recording = false;
  const read = speaker === hearer ? '' : ` Answers are read aloud by ${speaker}.`;
  return {
    recording,
    notice: `Your voice is transcribed by ${hearer} and not kept.${read}`,
  };
}
