import type { ComposedNotification } from '../notifications/compose.js';
import { NOTIFY_WITHIN_HOURS } from './deadline.js';

/**
 * The words of incident notifications. They name the incident by its title (the org's own words,
 * read only by its admins) and the deadline; never the description, which may quote personal data.
 */
export function incidentReminder(input: {
  title: string;
  hours: number;
  deadline: Date;
}): ComposedNotification {
  const overdue = input.hours >= NOTIFY_WITHIN_HOURS;
  const deadline = input.deadline.toISOString().replace('.000Z', 'Z');
  return {
    kind: 'incident_reminder',
    subject: overdue
      ? `Overdue: incident "${input.title}" was not notified within 72 hours`
      : `Incident "${input.title}": ${NOTIFY_WITHIN_HOURS - input.hours} hours left to notify the authority`,
    body: [
      overdue
        ? `The 72-hour deadline to notify the supervisory authority of incident "${input.title}" passed at ${deadline}.`
        : `${input.hours} hours ago your organization became aware of incident "${input.title}".`,
      overdue
        ? 'Notify the authority now and record the reasons for the delay, or mark the incident as not notifiable with the reason.'
        : `Unless it is unlikely to result in a risk to people, the supervisory authority must be notified by ${deadline}.`,
      '',
      'Admins can record the notification and export the report in the console under Privacy → Incidents.',
    ].join('\n'),
  };
}

export function incidentRegistered(input: { title: string; deadline: Date }): ComposedNotification {
  const deadline = input.deadline.toISOString().replace('.000Z', 'Z');
  return {
    kind: 'incident_registered',
    subject: `Security incident registered for your organization: "${input.title}"`,
    body: [
      `The platform operator registered incident "${input.title}", which affects your organization's data.`,
      `If it is notifiable, the supervisory authority must be notified by ${deadline} (72 hours after awareness).`,
      '',
      'Read the details, record the measures and export the report in the console under Privacy → Incidents.',
    ].join('\n'),
  };
}
