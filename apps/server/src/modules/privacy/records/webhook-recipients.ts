import type { Subprocessor } from '@confidant/contract';
import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/client.js';
import { webhookEndpoints } from '../../../platform/db/schema/index.js';
import { hostOf } from './host-of.js';

/**
 * Outgoing webhook destinations as recipients of the org's data: one entry per enabled endpoint
 * (modules/webhooks/), with its host only (the path may carry a token), the events it receives
 * as purpose, and whether message text goes with them.
 */
export async function webhookRecipients(tx: Tx, orgId: string): Promise<Subprocessor[]> {
  const rows = await tx
    .select({
      id: webhookEndpoints.id,
      url: webhookEndpoints.url,
      events: webhookEndpoints.events,
      includeContent: webhookEndpoints.includeContent,
      createdAt: webhookEndpoints.createdAt,
    })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.enabled, true)))
    .orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id));
  return rows.map((r) => ({
    id: `webhook:${r.id}`,
    name: 'Webhook endpoint',
    kind: 'webhook' as const,
    configuredBy: 'organization' as const,
    purpose: `Receives signed event notifications (${[...r.events].sort().join(', ')})${
      r.includeContent ? ', with message text' : ', ids and types only'
    }`,
    host: hostOf(r.url),
    region: null,
    dataCategories:
      r.includeContent && r.events.includes('message.created')
        ? ['system.identifier', 'user.content.chat']
        : ['system.identifier'],
    since: r.createdAt.toISOString(),
  }));
}
