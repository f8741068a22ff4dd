import type { DataMap } from './data-map-types.js';
import { accessDataMap } from './schema/access.data-map.js';
import { actionsDataMap } from './schema/actions.data-map.js';
import { authDataMap } from './schema/auth.data-map.js';
import { callsDataMap } from './schema/calls.data-map.js';
import { consentDataMap } from './schema/consent.data-map.js';
import { coreDataMap } from './schema/core.data-map.js';
import { inboxDataMap } from './schema/inbox.data-map.js';
import { incidentsDataMap } from './schema/incidents.data-map.js';
import { knowledgeLexiconDataMap } from './schema/knowledge-lexicon.data-map.js';
import { knowledgeSettingsDataMap } from './schema/knowledge-settings.data-map.js';
import { notificationsDataMap } from './schema/notifications.data-map.js';
import { privacySubjectsDataMap } from './schema/privacy-subjects.data-map.js';
import { ratingsDataMap } from './schema/ratings.data-map.js';
import { retentionDataMap } from './schema/retention.data-map.js';
import { voiceRecordingsDataMap } from './schema/voice-recordings.data-map.js';
import { webhooksDataMap } from './schema/webhooks.data-map.js';

export * from './data-map-types.js';

/** The whole data map: one entry per table, one per column (keys are SQL names). */
export const dataMap: DataMap = {
  ...coreDataMap,
  ...accessDataMap,
  ...authDataMap,
  ...knowledgeLexiconDataMap,
  ...knowledgeSettingsDataMap,
  ...inboxDataMap,
  ...notificationsDataMap,
  ...retentionDataMap,
  ...privacySubjectsDataMap,
  ...incidentsDataMap,
  ...actionsDataMap,
  ...consentDataMap,
  ...ratingsDataMap,
  ...webhooksDataMap,
  ...callsDataMap,
  ...voiceRecordingsDataMap,
};

/** Columns stored as envelope-encrypted ciphertext, for key rotation. */
export function encryptedColumns(): { table: string; column: string }[] {
  return Object.entries(dataMap).flatMap(([table, t]) =>
    Object.entries(t.columns)
      .filter(([, c]) => c.encrypted)
      .map(([column]) => ({ table, column })),
  );
}
