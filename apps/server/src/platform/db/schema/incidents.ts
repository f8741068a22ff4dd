import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, orgId, tstz, updatedAt } from './columns.js';
import { organizations } from './organizations.js';

/**
 * open → contained → notified → closed; `not_notifiable` when the org decided the breach is
 * unlikely to result in a risk to people (Art. 33(1)), which needs a recorded reason.
 */
export const incidentStatuses = ['open', 'contained', 'notified', 'closed', 'not_notifiable'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

/**
 * The org's register of personal-data breaches (GDPR Art. 33(5)). The 72-hour notification
 * deadline is not stored: it is always aware_at + 72 h (modules/incidents/deadline.ts), so it
 * cannot drift from the time it is computed from. Text columns are the org's own words.
 */
export const incidents = pgTable(
  'incidents',
  {
    orgId: orgId(),
    id: id(),
    /** Set when the platform registered one incident across several orgs: the same id in each. */
    platformIncidentId: uuid('platform_incident_id'),
    title: text('title').notNull(),
    description: text('description').notNull(),
    occurredAt: tstz('occurred_at'),
    awareAt: tstz('aware_at').notNull(),
    /** Data-map categories (platform/db/data-map-types.ts dataCategories) the breach touched. */
    dataCategories: text('data_categories').array().notNull().default(sql`'{}'::text[]`),
    subjectsAffected: integer('subjects_affected'),
    recordsAffected: integer('records_affected'),
    consequences: text('consequences').notNull().default(''),
    measures: text('measures').notNull().default(''),
    status: text('status', { enum: incidentStatuses }).notNull().default('open'),
    notNotifiableReason: text('not_notifiable_reason'),
    authorityNotifiedAt: tstz('authority_notified_at'),
    subjectsNotifiedAt: tstz('subjects_notified_at'),
    /** Art. 33(1): a notification later than 72 hours comes with the reasons for the delay. */
    delayReason: text('delay_reason'),
    /** The contact point for the authority (e.g. the DPO); the report falls back to the owners. */
    contactPoint: text('contact_point'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    index('incidents_org_aware_idx').on(t.orgId, t.awareAt),
    check(
      'incidents_status_check',
      sql`${t.status} in ('open','contained','notified','closed','not_notifiable')`,
    ),
    check(
      'incidents_not_notifiable_reason_check',
      sql`${t.status} <> 'not_notifiable' or ${t.notNotifiableReason} is not null`,
    ),
    check(
      'incidents_counts_check',
      sql`coalesce(${t.subjectsAffected}, 0) >= 0 and coalesce(${t.recordsAffected}, 0) >= 0`,
    ),
  ],
);

/** The reminder marks: hours after awareness (24, 48, 66) and 72 (the overdue notice). */
export const incidentReminderHours = [24, 48, 66, 72] as const;

/**
 * Which deadline reminders an incident's admins were sent: the row is inserted before notifying,
 * in the same transaction, so each mark is sent once however often the job runs.
 */
export const incidentReminders = pgTable(
  'incident_reminders',
  {
    orgId: orgId(),
    incidentId: uuid('incident_id').notNull(),
    hours: integer('hours').notNull(),
    /** Recipients notified (0 when a later mark was already due: only the latest is sent). */
    notified: integer('notified').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.incidentId, t.hours] }),
    foreignKey({
      columns: [t.orgId, t.incidentId],
      foreignColumns: [incidents.orgId, incidents.id],
    }).onDelete('cascade'),
    check('incident_reminders_hours_check', sql`${t.hours} in (24, 48, 66, 72)`),
  ],
);
