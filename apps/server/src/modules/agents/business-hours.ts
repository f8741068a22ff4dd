import { z } from 'zod';

/**
 * When a person can be promised: an agent's weekly opening hours in its own time zone (IANA,
 * e.g. "Europe/Paris"), or null for "whenever an operator is present". Ranges are "HH:MM"
 * start–end within one day, end after start; a day with no ranges is closed. Evaluated with the
 * platform's time-zone database (Intl), so daylight-saving changes need no code.
 */
export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM (00:00 to 24:00)');
const range = z.tuple([time, time]).refine(([start, end]) => start < end, 'a range must end after it starts');

const isTimeZone = (value: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

export const businessHoursSchema = z
  .strictObject({
    timezone: z.string().max(64).refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris'),
    weekly: z.strictObject(
      Object.fromEntries(weekdays.map((d) => [d, z.array(range).max(4).optional()])) as Record<
        Weekday,
        z.ZodOptional<z.ZodArray<typeof range>>
      >,
    ),
  })
  .meta({ id: 'BusinessHours' });

export type BusinessHours = z.infer<typeof businessHoursSchema>;

const weekdayIndex: Record<string, Weekday> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

/** The weekday and "HH:MM" at `now` in `timeZone`. */
export function localTime(now: Date, timeZone: string): { day: Weekday; time: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: weekdayIndex[get('weekday')] ?? 'mon', time: `${get('hour')}:${get('minute')}` };
}

/** Open now? No hours configured = always open (availability then rests on presence alone). */
export function isOpen(hours: BusinessHours | null, now = new Date()): boolean {
  if (!hours) return true;
  const { day, time: at } = localTime(now, hours.timezone);
  return (hours.weekly[day] ?? []).some(([start, end]) => at >= start && at < end);
}
