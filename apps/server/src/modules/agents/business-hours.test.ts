import { describe, expect, it } from 'vitest';
import { businessHoursSchema, isOpen } from './business-hours.js';

const paris = businessHoursSchema.parse({
  timezone: 'Europe/Paris',
  weekly: {
    mon: [
      ['09:00', '12:30'],
      ['14:00', '18:00'],
    ],
    sat: [['10:00', '24:00']],
  },
});

describe('business hours', () => {
  it('is open inside a range in the agent’s own time zone, closed outside', () => {
    // Monday 2026-11-30: Paris is UTC+1 in winter.
    expect(isOpen(paris, new Date('2026-11-30T08:00:00Z'))).toBe(true); // 09:00 Paris
    expect(isOpen(paris, new Date('2026-11-30T07:59:00Z'))).toBe(false); // 08:59
    expect(isOpen(paris, new Date('2026-11-30T11:30:00Z'))).toBe(false); // 12:30, lunch
    expect(isOpen(paris, new Date('2026-11-30T16:59:00Z'))).toBe(true); // 17:59
    expect(isOpen(paris, new Date('2026-12-01T09:00:00Z'))).toBe(false); // Tuesday: closed
    expect(isOpen(paris, new Date('2026-12-05T22:59:00Z'))).toBe(true); // Saturday 23:59
  });

  it('follows daylight saving time without code', () => {
    // Monday 2026-06-01: Paris is UTC+2, so 07:00 UTC is 09:00 there.
    expect(isOpen(paris, new Date('2026-06-01T07:00:00Z'))).toBe(true);
    expect(isOpen(paris, new Date('2026-06-01T06:59:00Z'))).toBe(false);
  });

  it('without hours, is always open (presence alone decides)', () => {
    expect(isOpen(null, new Date('2026-12-01T03:00:00Z'))).toBe(true);
  });

  it('refuses unknown time zones, bad times, reversed ranges and unknown days', () => {
    const bad = [
      { timezone: 'Mars/Olympus', weekly: {} },
      { timezone: 'UTC', weekly: { mon: [['9:00', '17:00']] } },
      { timezone: 'UTC', weekly: { mon: [['17:00', '09:00']] } },
      { timezone: 'UTC', weekly: { holiday: [['09:00', '17:00']] } },
    ];
    for (const value of bad)
      expect(businessHoursSchema.safeParse(value).success, JSON.stringify(value)).toBe(false);
  });
});
