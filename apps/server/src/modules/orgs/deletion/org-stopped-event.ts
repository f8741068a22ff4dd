import type { Tx } from '../../../platform/db/client.js';
import { appendEvent, type DeliveredEvent, ORG_STOPPED_EVENT } from '../../../platform/events/outbox.js';

/**
 * The outbox event written when an org is scheduled for deletion. Every live stream of the org,
 * in every process (operators' `/v1/events`, visitors' conversation streams), ends when it
 * arrives; reconnecting is then refused with `org_deleted`. No conversation, no payload.
 */
export const ORG_STOPPED = ORG_STOPPED_EVENT;

export function emitOrgStopped(tx: Tx, orgId: string): Promise<number> {
  return appendEvent(tx, orgId, { type: ORG_STOPPED, conversationId: null, payload: {} });
}

export const isOrgStopped = (event: DeliveredEvent) => event.type === ORG_STOPPED;
