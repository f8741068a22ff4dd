import { AppError } from '../../../platform/errors.js';

/**
 * Deleting an organization or a console account happens in two steps: it is SCHEDULED (refused
 * everywhere at once, restorable), then, this long after, HARD-DELETED by a job. The same window
 * applies to organizations and people.
 */
export const DELETION_WINDOW_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/** When the hard delete may run for something scheduled at `scheduledAt`. */
export function hardDeleteAfter(scheduledAt: Date): Date {
  return new Date(scheduledAt.getTime() + DELETION_WINDOW_DAYS * DAY_MS);
}

/** The cut-off: everything scheduled at or before it is due for its hard delete at `now`. */
export function dueBefore(now: Date): Date {
  return new Date(now.getTime() - DELETION_WINDOW_DAYS * DAY_MS);
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The problem every request in (or for) an organization scheduled for deletion gets. */
export function orgDeletedError(scheduledAt: Date): AppError {
  return new AppError(
    'org_deleted',
    `This organization is scheduled for deletion on ${day(hardDeleteAfter(scheduledAt))}; an owner can restore it until then`,
  );
}

/** The problem a signed-in person whose account is scheduled for deletion gets (except restoring). */
export function accountDeletedError(scheduledAt: Date): AppError {
  return new AppError(
    'account_deleted',
    `Your account is scheduled for deletion on ${day(hardDeleteAfter(scheduledAt))}; restore it (POST /v1/me/restore) to use the console again`,
  );
}
