import type { ProcessingRecords, Transfer } from '@confidant/contract';
import { asc, eq } from 'drizzle-orm';
import type { Config } from '../../../platform/config.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Tx } from '../../../platform/db/client.js';
import { dataMap } from '../../../platform/db/data-map.js';
import { agents } from '../../../platform/db/schema/index.js';
import { readRetention } from '../retention/retention-policy.js';
import { compareRegions } from './compare-regions.js';
import { type Periods, processingActivities } from './processing-activities.js';
import { listSubprocessors } from './subprocessors.js';
import { technicalMeasures } from './technical-measures.js';

export type RecordsDeps = { config: Config; keyring: Keyring };

/**
 * The org's records of processing (GDPR Art. 30), generated on every call from the data map and
 * the live configuration: retention as set, recipients enabled, transfers where regions are
 * known and the measures in force. Never cached, so a configuration change shows at once.
 * Runs inside the org's withTenant transaction (the org row is read by the caller: it is not a
 * tenant table).
 */
export async function buildRecords(
  tx: Tx,
  deps: RecordsDeps,
  org: { id: string; name: string },
): Promise<ProcessingRecords> {
  const orgId = org.id;
  const retention = await readRetention(tx, orgId);
  const periods = Object.fromEntries(retention.map((r) => [r.category, r.effectiveDays])) as Periods;
  const agentRows = await tx
    .select({
      id: agents.id,
      name: agents.name,
      answerMode: agents.answerMode,
      storeTranscripts: agents.storeTranscripts,
      handoffEnabled: agents.handoffEnabled,
    })
    .from(agents)
    .where(eq(agents.orgId, orgId))
    .orderBy(asc(agents.createdAt), asc(agents.id));
  const subprocessors = await listSubprocessors(tx, deps, orgId);
  const hostingRegion = deps.config.hostingRegion ?? null;
  const transfers: Transfer[] = subprocessors.map((s) => {
    const assessment = compareRegions(hostingRegion, s.region);
    return {
      subprocessorId: s.id,
      name: s.name,
      region: s.region,
      assessment,
      note:
        assessment === 'same_region'
          ? `Configured region ${s.region} is within the hosting region ${hostingRegion}.`
          : assessment === 'outside_region'
            ? `Configured region ${s.region} is outside the hosting region ${hostingRegion}: a transfer; check the safeguards in your agreement with this provider.`
            : !s.region
              ? 'Unknown: no region is configured for this recipient; ask the provider where it processes data.'
              : !hostingRegion
                ? 'Unknown: the installation’s hosting region is not stated (CONFIDANT_HOSTING_REGION).'
                : `Unknown: region ${s.region} cannot be compared by name with the hosting region ${hostingRegion}; check by hand.`,
    };
  });
  return {
    generatedAt: new Date().toISOString(),
    controller: { orgId: org.id, name: org.name },
    hostingRegion,
    activities: processingActivities(dataMap, periods),
    retention: retention.map((r) => ({
      category: r.category,
      label: r.label,
      days: r.effectiveDays,
      isDefault: r.isDefault,
    })),
    subprocessors,
    transfers,
    measures: await technicalMeasures(tx, deps.config, dataMap, agentRows),
    agents: agentRows.map((a) => ({
      id: a.id,
      name: a.name,
      answerMode: a.answerMode,
      ephemeral: !a.storeTranscripts,
      handoff: a.handoffEnabled,
    })),
  };
}
