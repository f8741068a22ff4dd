import { useId } from 'react';
import { formatCount, formatDay } from './summarize';

/**
 * Bars per day, hand-made in SVG. The drawing is decorative for assistive technology; the same
 * numbers are in a visually hidden table under the chart's caption, one row per day.
 */
export function BarChart<Day extends { day: string }>({
  title,
  days,
  value,
  unit,
  format = formatCount,
  floor = 1,
}: {
  title: string;
  days: Day[];
  value: (day: Day) => number;
  /** The unit, singular and plural: ['handoff', 'handoffs']; empty for a currency. */
  unit: readonly [string, string];
  format?: (n: number) => string;
  /** The smallest top of the scale (1 for counts; tiny for amounts like fractions of a cent). */
  floor?: number;
}) {
  const captionId = useId();
  const values = days.map(value);
  const max = Math.max(floor, ...values);
  const total = values.reduce((a, b) => a + b, 0);
  const width = days.length * 10;
  const unitFor = (n: number) => (n === 1 ? unit[0] : unit[1]);
  const show = (n: number) => [format(n), unitFor(n)].filter(Boolean).join(' ');
  return (
    <figure className="chart" aria-labelledby={captionId}>
      <figcaption id={captionId} className="chart-caption">
        <span className="chart-title">{title}</span>
        <span className="chart-total">
          {show(total)} in {days.length} days
        </span>
      </figcaption>
      <div className="chart-plot">
        {total > 0 && (
          <span className="chart-max" aria-hidden="true">
            {format(max)}
          </span>
        )}
        <svg
          className="chart-svg"
          viewBox={`0 0 ${width} 100`}
          preserveAspectRatio="none"
          aria-hidden="true"
          focusable="false"
        >
          <line x1="0" x2={width} y1="99.5" y2="99.5" className="chart-axis" />
          {days.map((day, i) => {
            const v = values[i]!;
            const h = v === 0 ? 0 : Math.max(2, (v / max) * 96);
            return (
              <rect key={day.day} x={i * 10 + 1.5} width="7" y={100 - h} height={h} className="chart-bar">
                <title>
                  {formatDay(day.day)}: {show(v)}
                </title>
              </rect>
            );
          })}
        </svg>
      </div>
      <div className="chart-days" aria-hidden="true">
        <span>{days[0] && formatDay(days[0].day)}</span>
        <span>{days.at(-1) && formatDay(days.at(-1)!.day)}</span>
      </div>
      <table className="visually-hidden">
        <caption>{title} per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">{title}</th>
          </tr>
        </thead>
        <tbody>
          {days.map((day, i) => (
            <tr key={day.day}>
              <th scope="row">{formatDay(day.day)}</th>
              <td>{format(values[i]!)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
