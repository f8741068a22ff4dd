import { col, type DataMap } from '../data-map-types.js';

const orgRef = col('org.identifier', 'org_lifetime', 'keep');
const note = col('org.content.note', 'org_lifetime', 'keep');
const ops = col('system.operations', 'org_lifetime', 'keep');

/**
 * The incident register: the org's own account of a breach, kept for the life of the org (the
 * register is evidence for the supervisory authority, Art. 33(5)). It names no data subject: the
 * counts are approximate numbers, the text is written by the org's admins.
 */
export const incidentsDataMap: DataMap = {
  incidents: {
    purpose: 'The register of personal-data breaches and their notification to the supervisory authority',
    subject: 'none',
    columns: {
      org_id: orgRef,
      id: col('system.identifier', 'org_lifetime', 'keep'),
      platform_incident_id: col('system.identifier', 'org_lifetime', 'keep'),
      title: note,
      description: note,
      occurred_at: ops,
      aware_at: ops,
      data_categories: note,
      subjects_affected: note,
      records_affected: note,
      consequences: note,
      measures: note,
      status: ops,
      not_notifiable_reason: note,
      authority_notified_at: ops,
      subjects_notified_at: ops,
      delay_reason: note,
      contact_point: col('org.config', 'org_lifetime', 'keep'),
      created_at: ops,
      updated_at: ops,
    },
  },
  incident_reminders: {
    purpose: 'Which 72-hour deadline reminders were sent for an incident, so each is sent once',
    subject: 'none',
    columns: {
      org_id: orgRef,
      incident_id: col('system.identifier', 'org_lifetime', 'keep'),
      hours: ops,
      notified: ops,
      created_at: ops,
    },
  },
};
