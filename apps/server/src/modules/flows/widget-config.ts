import type { WidgetConfig } from '@confidant/contract';
import { z } from 'zod';
import type { Database } from '../../platform/db/client.js';
import type { AgentRow } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { readFlow, widgetFlow } from './service.js';

export const widgetFlowSchema = z
  .object({ version: z.number().int(), steps: z.array(z.record(z.string(), z.unknown())) })
  .describe('Steps run before the chat; each form carries its notice text per purpose');

/** The config's `flow` (when the agent has one) and `gpc` (when the browser sent Sec-GPC: 1). */
export async function configFlow(
  database: Database,
  agent: Pick<AgentRow, 'orgId' | 'id' | 'storeTranscripts'>,
  gpc: boolean,
): Promise<Pick<WidgetConfig, 'flow' | 'gpc'>> {
  const flow = await withTenant(database, [agent.orgId], (tx) => readFlow(tx, agent.orgId, agent.id));
  return {
    ...(flow.steps.length > 0 ? { flow: widgetFlow(flow, agent.storeTranscripts) } : {}),
    ...(gpc ? { gpc: true } : {}),
  };
}
