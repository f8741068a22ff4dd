import { type IncidentStatus, incidentReminderHours } from '../../platform/db/schema/index.js';

/**
 * The 72-hour rule (GDPR Art. 33(1)): the supervisory authority is notified within 72 hours of
 * the controller becoming aware of a breach. Everything here is a pure function of the incident
 * and `now`, so tests drive it with a test clock.
 */
export const NOTIFY_WITHIN_HOURS = 72;
const HOUR_MS = 3_600_000;

export type DeadlineFacts = {
  awareAt: Date;
  status: IncidentStatus;
  authorityNotifiedAt: Date | null;
};

export const deadlineOf = (awareAt: Date): Date =>
  new Date(awareAt.getTime() + NOTIFY_WITHIN_HOURS * HOUR_MS);

/** A notification is still owed: the authority was not told and the org did not rule it out. */
export const notificationPending = (i: DeadlineFacts): boolean =>
  i.authorityNotifiedAt === null && i.status !== 'not_notifiable';

/** Past the deadline with the authority not notified (and the incident not marked not-notifiable). */
export const isOverdue = (i: DeadlineFacts, now: Date): boolean =>
  notificationPending(i) && now.getTime() > deadlineOf(i.awareAt).getTime();

/** The authority was notified, but after the deadline: the report then needs the reasons for delay. */
export const notifiedLate = (i: DeadlineFacts): boolean =>
  i.authorityNotifiedAt !== null && i.authorityNotifiedAt.getTime() > deadlineOf(i.awareAt).getTime();

/**
 * The reminder marks reached at `now` (24, 48, 66 hours after awareness, and 72 once overdue),
 * ascending; none once nothing is owed.
 */
export function reachedReminderMarks(i: DeadlineFacts, now: Date): number[] {
  if (!notificationPending(i)) return [];
  const elapsed = now.getTime() - i.awareAt.getTime();
  return incidentReminderHours.filter((h) =>
    h === NOTIFY_WITHIN_HOURS ? isOverdue(i, now) : elapsed >= h * HOUR_MS,
  );
}
