import type { Subprocessor } from '@confidant/contract';
import type { Tx } from '../../../platform/db/client.js';

/**
 * Extension point: outgoing webhook destinations as recipients of the org's data.
 *
 * There is no webhooks table yet (issue 12, "Webhooks, both ways"). When it lands, return one
 * entry per enabled endpoint here — `id: webhook:<id>`, `kind: 'webhook'`, `host` from hostOf()
 * (never the path: it may carry a token), the event types as purpose, `since` its creation —
 * and the records, the sub-processor list and their tests pick it up with no other change.
 */
export async function webhookRecipients(_tx: Tx, _orgId: string): Promise<Subprocessor[]> {
  return [];
}
