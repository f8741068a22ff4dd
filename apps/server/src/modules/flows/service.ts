import type { AgentFlow, FlowStep, WidgetFlow } from '@confidant/contract';
import { and, eq, sql } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import { agentFlows } from '../../platform/db/schema/index.js';
import { getAgentRow } from '../agents/service.js';
import { type Actor, recordAudit } from '../audit/service.js';
import { type FlowBody, formPurposes, noticeText } from './flow-schema.js';

/**
 * An agent's flow: read, replace (version + 1, audited with ids and counts only), and the
 * public shape the widget config carries (each form's notice text per purpose, computed here so
 * the widget shows exactly the text whose hash is recorded).
 */
export async function readFlow(tx: Tx, orgId: string, agentId: string): Promise<AgentFlow> {
  const [row] = await tx
    .select()
    .from(agentFlows)
    .where(and(eq(agentFlows.orgId, orgId), eq(agentFlows.agentId, agentId)));
  if (!row) return { steps: [], version: 0, updatedAt: null };
  return { steps: row.steps as FlowStep[], version: row.version, updatedAt: row.updatedAt.toISOString() };
}

export async function saveFlow(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  agentId: string,
  body: FlowBody,
): Promise<AgentFlow> {
  await getAgentRow(tx, orgId, agentId);
  const [row] = await tx
    .insert(agentFlows)
    .values({ orgId, agentId, steps: body.steps, version: 1 })
    .onConflictDoUpdate({
      target: [agentFlows.orgId, agentFlows.agentId],
      set: { steps: body.steps, version: sql`${agentFlows.version} + 1`, updatedAt: sql`now()` },
    })
    .returning();
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'agent.flow_updated',
    targetType: 'agent',
    targetId: agentId,
    metadata: {
      version: row!.version,
      steps: body.steps.length,
      forms: body.steps.filter((s) => s.type === 'form').length,
    },
  });
  return { steps: row!.steps as FlowStep[], version: row!.version, updatedAt: row!.updatedAt.toISOString() };
}

/** The flow as the widget receives it; forms are left out when the agent keeps nothing (ephemeral). */
export function widgetFlow(flow: AgentFlow, storesData: boolean): WidgetFlow {
  return {
    version: flow.version,
    steps: flow.steps.map((step) =>
      step.type === 'form'
        ? {
            ...step,
            fields: storesData ? step.fields : [],
            notices: formPurposes(step.fields).map(({ purpose }) => ({
              purpose,
              text: noticeText(step.consentText, purpose),
            })),
          }
        : step,
    ),
  };
}
