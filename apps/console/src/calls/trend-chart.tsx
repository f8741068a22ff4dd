import { useId } from 'react';
import { formatDay } from './describe-call';

export type WeekPoint = { week: string; average: number; calls: number };

/** A round top for a scale: 5, 10 or 100 (rubric scales are usually 1–5, 1–10 or percentages). */
export const niceMax = (values: number[]) => {
  const max = Math.max(0, ...values);
  return max <= 5 ? 5 : max <= 10 ? 10 : 100;
};

const format = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/**
 * Weekly averages as a line, hand-made in SVG like the Usage page's bars. The drawing is
 * decorative for assistive technology; the numbers are in a visually hidden table.
 */
export function TrendChart({
  title,
  weeks,
  points,
  summary,
}: {
  title: string;
  /** The x axis: every week of the period (a week without calls leaves a gap). */
  weeks: string[];
  points: WeekPoint[];
  summary: string;
}) {
  const captionId = useId();
  const byWeek = new Map(points.map((p) => [p.week, p]));
  const top = niceMax(points.map((p) => p.average));
  const width = Math.max(1, weeks.length - 1) * 20;
  const x = (i: number) => (weeks.length === 1 ? width / 2 : i * 20);
  const y = (v: number) => 96 - (v / top) * 92;
  const drawn = weeks
    .map((week, i) => ({ i, point: byWeek.get(week) }))
    .filter((d): d is { i: number; point: WeekPoint } => d.point !== undefined);
  return (
    <figure className="chart" aria-labelledby={captionId}>
      <figcaption id={captionId} className="chart-caption">
        <span className="chart-title">{title}</span>
        <span className="chart-total">{summary}</span>
      </figcaption>
      <div className="chart-plot">
        <span className="chart-max" aria-hidden="true">
          {top}
        </span>
        <svg
          className="chart-svg trend-svg"
          viewBox={`-4 0 ${width + 8} 100`}
          preserveAspectRatio="none"
          aria-hidden="true"
          focusable="false"
        >
          <line x1="-4" x2={width + 4} y1="99.5" y2="99.5" className="chart-axis" />
          <polyline
            className="trend-line"
            fill="none"
            vectorEffect="non-scaling-stroke"
            points={drawn.map((d) => `${x(d.i)},${y(d.point.average)}`).join(' ')}
          />
          {drawn.map((d) => (
            <circle
              key={d.point.week}
              className="trend-dot"
              cx={x(d.i)}
              cy={y(d.point.average)}
              r="1.6"
              vectorEffect="non-scaling-stroke"
            >
              <title>
                Week of {formatDay(d.point.week)}: {format(d.point.average)} ({d.point.calls} calls)
              </title>
            </circle>
          ))}
        </svg>
      </div>
      <div className="chart-days" aria-hidden="true">
        <span>{weeks[0] && formatDay(weeks[0])}</span>
        <span>{weeks.at(-1) && formatDay(weeks.at(-1)!)}</span>
      </div>
      <table className="visually-hidden">
        <caption>{title} per week</caption>
        <thead>
          <tr>
            <th scope="col">Week of</th>
            <th scope="col">Average</th>
            <th scope="col">Calls</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.week}>
              <th scope="row">{formatDay(p.week)}</th>
              <td>{format(p.average)}</td>
              <td>{p.calls}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** A small line of weekly averages for a table row; decorative (the row says the numbers). */
export function Sparkline({ weeks, points }: { weeks: string[]; points: WeekPoint[] }) {
  const byWeek = new Map(points.map((p) => [p.week, p]));
  const top = niceMax(points.map((p) => p.average));
  const width = Math.max(1, weeks.length - 1) * 10;
  const drawn = weeks.flatMap((week, i) => {
    const p = byWeek.get(week);
    return p ? [{ x: weeks.length === 1 ? width / 2 : i * 10, y: 30 - (p.average / top) * 28 }] : [];
  });
  const lastPoint = drawn.at(-1);
  return (
    <svg
      className="sparkline"
      viewBox={`-2 0 ${width + 4} 32`}
      preserveAspectRatio="none"
      aria-hidden="true"
      focusable="false"
    >
      <polyline
        className="trend-line"
        fill="none"
        vectorEffect="non-scaling-stroke"
        points={drawn.map((d) => `${d.x},${d.y}`).join(' ')}
      />
      {/* The latest week as a dot, so a single week still shows. */}
      {lastPoint && (
        <circle
          className="trend-dot"
          cx={lastPoint.x}
          cy={lastPoint.y}
          r="1.5"
          vectorEffect="non-scaling-stroke"
        />
      )}
    </svg>
  );
}

/** The Mondays (YYYY-MM-DD, UTC) from the week of `from` to the week of `to`. */
export function weeksBetween(from: Date, to: Date): string[] {
  const monday = (d: Date) => {
    const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
    return day;
  };
  const weeks: string[] = [];
  for (let d = monday(from); d <= to; d.setUTCDate(d.getUTCDate() + 7))
    weeks.push(d.toISOString().slice(0, 10));
  return weeks;
}
