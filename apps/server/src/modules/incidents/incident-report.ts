import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client.js';
import { memberships, organizations, users } from '../../platform/db/schema/index.js';
import { deadlineOf, isOverdue, notifiedLate } from './deadline.js';
import { readIncident } from './incident-store.js';

/**
 * The report for the supervisory authority, with the contents GDPR Art. 33(3) asks for: (a) the
 * nature of the breach with the categories and approximate numbers of subjects and records,
 * (b) a contact point, (c) the likely consequences, (d) the measures taken or proposed — plus the
 * timeline with the 72-hour deadline and, when notified late or overdue, the reasons for delay
 * (Art. 33(1)). The contact point is the incident's own (e.g. the DPO), else the org's owners.
 */
export type IncidentReport = {
  organization: string;
  incidentId: string;
  title: string;
  status: string;
  nature: string;
  dataCategories: string[];
  approximateSubjects: number | null;
  approximateRecords: number | null;
  contactPoint: { kind: 'configured'; value: string } | { kind: 'owners'; emails: string[] };
  likelyConsequences: string;
  measures: string;
  notNotifiableReason: string | null;
  timeline: {
    occurredAt: string | null;
    awareAt: string;
    deadlineAt: string;
    authorityNotifiedAt: string | null;
    subjectsNotifiedAt: string | null;
    late: boolean;
    overdue: boolean;
  };
  delayReason: string | null;
  generatedAt: string;
};

export async function buildIncidentReport(
  tx: Tx,
  orgId: string,
  id: string,
  now = new Date(),
): Promise<IncidentReport> {
  const i = await readIncident(tx, orgId, id);
  const [org] = await tx
    .select({ name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  const owners = i.contactPoint
    ? []
    : await tx
        .select({ email: users.email })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'owner')))
        .orderBy(users.email);
  return {
    organization: org?.name ?? '',
    incidentId: i.id,
    title: i.title,
    status: i.status,
    nature: i.description,
    dataCategories: i.dataCategories,
    approximateSubjects: i.subjectsAffected,
    approximateRecords: i.recordsAffected,
    contactPoint: i.contactPoint
      ? { kind: 'configured', value: i.contactPoint }
      : { kind: 'owners', emails: owners.map((o) => o.email) },
    likelyConsequences: i.consequences,
    measures: i.measures,
    notNotifiableReason: i.notNotifiableReason,
    timeline: {
      occurredAt: i.occurredAt?.toISOString() ?? null,
      awareAt: i.awareAt.toISOString(),
      deadlineAt: deadlineOf(i.awareAt).toISOString(),
      authorityNotifiedAt: i.authorityNotifiedAt?.toISOString() ?? null,
      subjectsNotifiedAt: i.subjectsNotifiedAt?.toISOString() ?? null,
      late: notifiedLate(i),
      overdue: isOverdue(i, now),
    },
    delayReason: i.delayReason,
    generatedAt: now.toISOString(),
  };
}

const orNone = (s: string | null | undefined) => (s && s.trim() !== '' ? s : '(not recorded)');
const count = (n: number | null) => (n === null ? '(unknown)' : `approximately ${n}`);

/** The same report as Markdown, for attaching to the authority's form or printing. */
export function reportMarkdown(r: IncidentReport): string {
  const t = r.timeline;
  const contact =
    r.contactPoint.kind === 'configured'
      ? r.contactPoint.value
      : r.contactPoint.emails.length > 0
        ? r.contactPoint.emails.join(', ')
        : '(no owner)';
  const late = t.late || t.overdue;
  return [
    `# Personal data breach report: ${r.title}`,
    '',
    `Organization: ${r.organization}  `,
    `Incident: ${r.incidentId}  `,
    `Status: ${r.status}  `,
    `Generated: ${r.generatedAt}`,
    '',
    '## Nature of the breach',
    '',
    r.nature,
    '',
    '## Data concerned',
    '',
    `- Categories of personal data: ${r.dataCategories.length > 0 ? r.dataCategories.join(', ') : '(not recorded)'}`,
    `- Data subjects concerned: ${count(r.approximateSubjects)}`,
    `- Personal data records concerned: ${count(r.approximateRecords)}`,
    '',
    '## Contact point',
    '',
    contact,
    '',
    '## Likely consequences',
    '',
    orNone(r.likelyConsequences),
    '',
    '## Measures taken or proposed',
    '',
    orNone(r.measures),
    '',
    ...(r.notNotifiableReason ? ['## Why it is not notifiable', '', r.notNotifiableReason, ''] : []),
    '## Timeline',
    '',
    `- Occurred: ${t.occurredAt ?? '(unknown)'}`,
    `- Organization became aware: ${t.awareAt}`,
    `- Deadline to notify the supervisory authority (72 hours): ${t.deadlineAt}`,
    `- Supervisory authority notified: ${t.authorityNotifiedAt ?? 'not yet'}`,
    `- Data subjects notified: ${t.subjectsNotifiedAt ?? 'not yet'}`,
    ...(late ? ['', '## Reasons for the delay', '', orNone(r.delayReason)] : []),
    '',
  ].join('\n');
}
