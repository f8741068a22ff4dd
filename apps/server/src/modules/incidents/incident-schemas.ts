import { z } from 'zod';
import { dataCategories } from '../../platform/db/data-map-types.js';
import { incidentStatuses } from '../../platform/db/schema/index.js';
import { nonBlank, safeString } from '../../platform/http/schemas.js';

/** The HTTP shapes of the incident register (zod at the edge: bad input is a 400, never a 500). */
const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });
const count = z.number().int().min(0).max(2_000_000_000);
const longText = safeString().max(10_000, 'must be at most 10000 characters');

export const incidentFields = {
  title: nonBlank(200),
  description: nonBlank(10_000).describe('What happened: the nature of the breach'),
  awareAt: instant.describe('When the organization became aware; the 72-hour deadline runs from here'),
  occurredAt: instant.nullable(),
  dataCategories: z
    .array(z.enum(dataCategories))
    .max(dataCategories.length)
    .refine((a) => new Set(a).size === a.length, 'must not repeat a category')
    .describe('Data-map categories (e.g. user.contact.email) the breach touched'),
  subjectsAffected: count.nullable().describe('Approximate number of data subjects concerned'),
  recordsAffected: count.nullable().describe('Approximate number of personal data records concerned'),
  consequences: longText.describe('The likely consequences of the breach'),
  measures: longText.describe('Measures taken or proposed to address the breach and mitigate its effects'),
  status: z.enum(incidentStatuses),
  notNotifiableReason: nonBlank(5_000).nullable().describe('Required with status not_notifiable'),
  authorityNotifiedAt: instant.nullable(),
  subjectsNotifiedAt: instant.nullable(),
  delayReason: nonBlank(5_000).nullable().describe('Reasons for notifying after the 72 hours'),
  contactPoint: nonBlank(500)
    .nullable()
    .describe('Contact point for the authority (e.g. the DPO); the report names the owners when empty'),
};

export const createIncidentBody = z.strictObject({
  title: incidentFields.title,
  description: incidentFields.description,
  awareAt: incidentFields.awareAt,
  occurredAt: incidentFields.occurredAt.optional(),
  dataCategories: incidentFields.dataCategories.default([]),
  subjectsAffected: incidentFields.subjectsAffected.optional(),
  recordsAffected: incidentFields.recordsAffected.optional(),
  consequences: incidentFields.consequences.default(''),
  measures: incidentFields.measures.default(''),
  status: incidentFields.status.default('open'),
  notNotifiableReason: incidentFields.notNotifiableReason.optional(),
  authorityNotifiedAt: incidentFields.authorityNotifiedAt.optional(),
  subjectsNotifiedAt: incidentFields.subjectsNotifiedAt.optional(),
  delayReason: incidentFields.delayReason.optional(),
  contactPoint: incidentFields.contactPoint.optional(),
});
export type CreateIncident = z.infer<typeof createIncidentBody>;

export const updateIncidentBody = z
  .strictObject(
    Object.fromEntries(Object.entries(incidentFields).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof incidentFields]: z.ZodOptional<(typeof incidentFields)[K]>;
    },
  )
  .refine((b) => Object.keys(b).length > 0, 'change at least one field');
export type UpdateIncident = z.infer<typeof updateIncidentBody>;

export const platformIncidentBody = createIncidentBody
  .omit({ status: true, notNotifiableReason: true, authorityNotifiedAt: true, subjectsNotifiedAt: true })
  .extend({
    orgIds: z
      .array(z.uuid({ message: 'must be a UUID' }))
      .min(1)
      .max(500)
      .refine((a) => new Set(a).size === a.length, 'must not repeat an organization'),
  });
export type PlatformIncident = z.infer<typeof platformIncidentBody>;

export const incidentView = z
  .object({
    id: z.string(),
    platformIncidentId: z.string().nullable(),
    title: z.string(),
    description: z.string(),
    awareAt: z.string(),
    occurredAt: z.string().nullable(),
    dataCategories: z.array(z.string()),
    subjectsAffected: z.number().nullable(),
    recordsAffected: z.number().nullable(),
    consequences: z.string(),
    measures: z.string(),
    status: z.enum(incidentStatuses),
    notNotifiableReason: z.string().nullable(),
    authorityNotifiedAt: z.string().nullable(),
    subjectsNotifiedAt: z.string().nullable(),
    delayReason: z.string().nullable(),
    contactPoint: z.string().nullable(),
    deadlineAt: z.string().describe('awareAt + 72 hours'),
    notificationPending: z
      .boolean()
      .describe('The authority was not notified and the incident is notifiable'),
    overdue: z.boolean().describe('Past the deadline with a notification still pending'),
    remindersSent: z.array(z.number()).describe('Reminder marks sent (hours after awareness; 72 = overdue)'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Incident' });
export type IncidentView = z.infer<typeof incidentView>;
