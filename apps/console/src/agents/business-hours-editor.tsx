import type { BusinessHours } from '@confidant/contract';
import { Plus, X } from 'lucide-react';
import { useId, useMemo } from 'react';
import { Button } from '../ui/button';
import { defaultBusinessHours, type FieldErrors, weekdays } from './agent-form-model';

const timeZones = (): string[] => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
};

/**
 * Business hours: off (null: a person is promised whenever an operator is online) or a time zone
 * and, per weekday, up to four opening ranges; a day without ranges is closed.
 */
export function BusinessHoursEditor({
  value,
  onChange,
  errors,
}: {
  value: BusinessHours | null;
  onChange: (value: BusinessHours | null) => void;
  errors: FieldErrors;
}) {
  const id = useId();
  const zones = useMemo(() => {
    const all = timeZones();
    return value && !all.includes(value.timezone) ? [value.timezone, ...all] : all;
  }, [value]);
  const setDay = (day: (typeof weekdays)[number]['id'], ranges: [string, string][]) =>
    value && onChange({ ...value, weekly: { ...value.weekly, [day]: ranges } });

  return (
    <fieldset className="hours">
      <legend className="field-label">Business hours</legend>
      <label className="check-row">
        <input
          type="checkbox"
          checked={value !== null}
          onChange={(e) => onChange(e.target.checked ? defaultBusinessHours() : null)}
        />
        <span>
          <span className="check-label">Only promise a person during business hours</span>
          <span className="field-hint">
            Outside them, visitors can leave their email instead. Off: whenever an operator is online.
          </span>
        </span>
      </label>
      {value && (
        <>
          <div className="field">
            <label className="field-label" htmlFor={`${id}-tz`}>
              Time zone
            </label>
            <select
              id={`${id}-tz`}
              className="select"
              value={value.timezone}
              onChange={(e) => onChange({ ...value, timezone: e.target.value })}
            >
              {zones.map((z) => (
                <option key={z} value={z}>
                  {z.replaceAll('_', ' ')}
                </option>
              ))}
            </select>
            {errors['businessHours.timezone'] && (
              <span className="field-error">{errors['businessHours.timezone']}</span>
            )}
          </div>
          <ul className="hours-days">
            {weekdays.map((day) => {
              const ranges = value.weekly[day.id] ?? [];
              return (
                <li key={day.id} className="hours-day">
                  <label className="hours-day-name">
                    <input
                      type="checkbox"
                      checked={ranges.length > 0}
                      onChange={(e) => setDay(day.id, e.target.checked ? [['09:00', '17:00']] : [])}
                    />
                    {day.name}
                  </label>
                  <div className="hours-ranges">
                    {ranges.length === 0 && <span className="muted">Closed</span>}
                    {ranges.map(([start, end], i) => {
                      const error = errors[`businessHours.weekly.${day.id}.${i}`];
                      const update = (next: [string, string]) =>
                        setDay(
                          day.id,
                          ranges.map((r, j) => (j === i ? next : r)),
                        );
                      const nth = ranges.length > 1 ? ` (${i + 1})` : '';
                      return (
                        // biome-ignore lint/suspicious/noArrayIndexKey: ranges are positions in the day
                        <div key={i} className="hours-range">
                          <input
                            type="time"
                            className="input"
                            aria-label={`${day.name} opens${nth}`}
                            value={start}
                            aria-invalid={error ? true : undefined}
                            onChange={(e) => update([e.target.value, end])}
                          />
                          <span aria-hidden="true">–</span>
                          <input
                            type="time"
                            className="input"
                            aria-label={`${day.name} closes${nth}`}
                            value={end}
                            aria-invalid={error ? true : undefined}
                            onChange={(e) => update([start, e.target.value])}
                          />
                          {ranges.length > 1 && (
                            <Button
                              variant="ghost"
                              iconOnly
                              size="sm"
                              aria-label={`Remove ${day.name} hours${nth}`}
                              onClick={() =>
                                setDay(
                                  day.id,
                                  ranges.filter((_, j) => j !== i),
                                )
                              }
                            >
                              <X />
                            </Button>
                          )}
                          {error && <span className="field-error hours-error">{error}</span>}
                        </div>
                      );
                    })}
                  </div>
                  {ranges.length > 0 && ranges.length < 4 && (
                    <Button
                      variant="ghost"
                      size="sm"
                      iconOnly
                      aria-label={`Add ${day.name} hours`}
                      onClick={() => setDay(day.id, [...ranges, ['18:00', '20:00']])}
                    >
                      <Plus />
                    </Button>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </fieldset>
  );
}
