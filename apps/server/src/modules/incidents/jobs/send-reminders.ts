import { and, eq, inArray, isNull, lte, notInArray, sql } from 'drizzle-orm';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Database } from '../../../platform/db/client.js';
import { incidentReminders, incidents, organizations } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { recordAudit } from '../../audit/service.js';
import { deadlineOf, reachedReminderMarks } from '../deadline.js';
import { incidentReminder } from '../incident-notices.js';
import { notifyOrgPeople } from '../notify-admins.js';

/**
 * `incidents.reminders`: every five minutes, tells the owners and admins of each org with an
 * incident whose notification is still owed that 24, 48 and 66 hours have passed since awareness,
 * and once more when the 72 hours are over. So a reminder is at most five minutes late.
 *
 * Once only: the mark's row (incident_reminders) is inserted in the same transaction as the
 * notifications, with ON CONFLICT DO NOTHING, so a rerun, a concurrent run in another process
 * or a retry after a crash sends nothing twice. When several marks are reached at once (an
 * incident registered late, or the job stopped for a day) all are recorded but only the latest
 * is sent: "66 hours passed" makes "24 hours passed" noise.
 */
export const INCIDENT_REMINDERS = 'incidents.reminders';
export const INCIDENT_REMINDERS_CRON = '*/5 * * * *';
const ORG_SLICE = 200;
const FIRST_MARK_MS = 24 * 3_600_000;

export async function sendIncidentReminders(
  deps: { database: Database; keyring: Keyring },
  now = new Date(),
): Promise<number> {
  const orgs = await deps.database.db.select({ id: organizations.id }).from(organizations);
  let sent = 0;
  for (let start = 0; start < orgs.length; start += ORG_SLICE) {
    const orgIds = orgs.slice(start, start + ORG_SLICE).map((o) => o.id);
    // Candidates: a notification still owed, the first mark reached, the overdue mark not yet sent.
    const due = await withTenant(deps.database, orgIds, (tx) =>
      tx
        .select({ orgId: incidents.orgId, id: incidents.id })
        .from(incidents)
        .where(
          and(
            inArray(incidents.orgId, orgIds),
            isNull(incidents.authorityNotifiedAt),
            notInArray(incidents.status, ['not_notifiable']),
            lte(incidents.awareAt, new Date(now.getTime() - FIRST_MARK_MS)),
            sql`not exists (select 1 from ${incidentReminders} r where r.org_id = ${incidents.orgId}
                  and r.incident_id = ${incidents.id} and r.hours = 72)`,
          ),
        ),
    );
    // One transaction per incident: a failure leaves the others' reminders sent and recorded.
    for (const { orgId, id } of due) sent += await remindOne(deps, orgId, id, now);
  }
  return sent;
}

async function remindOne(
  deps: { database: Database; keyring: Keyring },
  orgId: string,
  incidentId: string,
  now: Date,
): Promise<number> {
  return withTenant(deps.database, [orgId], async (tx) => {
    const [incident] = await tx
      .select()
      .from(incidents)
      .where(and(eq(incidents.orgId, orgId), eq(incidents.id, incidentId)))
      .for('update');
    if (!incident) return 0;
    const marks = reachedReminderMarks(incident, now);
    if (marks.length === 0) return 0;
    const inserted = await tx
      .insert(incidentReminders)
      .values(marks.map((hours) => ({ orgId, incidentId, hours, notified: 0 })))
      .onConflictDoNothing()
      .returning({ hours: incidentReminders.hours });
    const latest = Math.max(...inserted.map((r) => r.hours));
    if (inserted.length === 0 || latest < Math.max(...marks)) return 0;
    const notified = await notifyOrgPeople(
      tx,
      orgId,
      ['owner', 'admin'],
      incidentReminder({ title: incident.title, hours: latest, deadline: deadlineOf(incident.awareAt) }),
    );
    await tx
      .update(incidentReminders)
      .set({ notified })
      .where(
        and(
          eq(incidentReminders.orgId, orgId),
          eq(incidentReminders.incidentId, incidentId),
          eq(incidentReminders.hours, latest),
        ),
      );
    await recordAudit(
      tx,
      deps.keyring,
      orgId,
      { type: 'system', id: null },
      {
        action: latest === 72 ? 'incident.overdue' : 'incident.reminder_sent',
        targetType: 'incident',
        targetId: incidentId,
        metadata: { hours: latest, notified },
      },
    );
    return 1;
  });
}
