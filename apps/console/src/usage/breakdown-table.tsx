import type { UsageReport } from '@confidant/contract';
import { useId } from 'react';
import { formatCompact, formatCount, formatUsd } from './summarize';

/**
 * Tokens and cost per model or per agent: a table (readable by everyone, assistive technology
 * included) whose last column draws each row's share as a bar. The bar is the share of the
 * cost, or of the tokens when no cost is known; it is decorative (the numbers are in the row).
 */
export function BreakdownTable({
  title,
  nameHeader,
  report,
}: {
  title: string;
  nameHeader: string;
  report: UsageReport;
}) {
  const captionId = useId();
  const rows = report.series.filter((s) => s.tokensIn + s.tokensOut > 0 || (s.costUsd ?? 0) > 0);
  const byCost = rows.some((r) => (r.costUsd ?? 0) > 0);
  const share = (r: (typeof rows)[number]) => (byCost ? (r.costUsd ?? 0) : r.tokensIn + r.tokensOut);
  const max = Math.max(...rows.map(share), Number.MIN_VALUE);
  return (
    <figure className="chart breakdown" aria-labelledby={captionId}>
      <figcaption id={captionId} className="chart-caption">
        <span className="chart-title">{title}</span>
        <span className="chart-total">
          {formatCostOrUnknown(report.totals.costUsd)} ·{' '}
          {formatCompact(report.totals.tokensIn + report.totals.tokensOut)} tokens
        </span>
      </figcaption>
      {rows.length === 0 ? (
        <p className="muted">No model calls in this period.</p>
      ) : (
        <table className="breakdown-table">
          <thead>
            <tr>
              <th scope="col">{nameHeader}</th>
              <th scope="col" className="num">
                Tokens in
              </th>
              <th scope="col" className="num">
                Tokens out
              </th>
              <th scope="col" className="num">
                Cost
              </th>
              <th scope="col" className="breakdown-bar-cell">
                <span className="visually-hidden">Share</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key ?? 'none'}>
                <th scope="row" className="breakdown-name">
                  {r.label}
                </th>
                <td className="num">{formatCount(r.tokensIn)}</td>
                <td className="num">{formatCount(r.tokensOut)}</td>
                <td className="num">
                  {formatCostOrUnknown(r.costUsd)}
                  {r.unpricedTokens > 0 && r.costUsd !== null && (
                    <span className="field-hint"> + unpriced</span>
                  )}
                </td>
                <td className="breakdown-bar-cell" aria-hidden="true">
                  <span
                    className="breakdown-bar"
                    style={{ width: `${Math.round((share(r) / max) * 100)}%` }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </figure>
  );
}

/** A cost, or "unknown" when the model is not in the price table (never a misleading $0). */
export const formatCostOrUnknown = (usd: number | null) => (usd === null ? 'unknown' : formatUsd(usd));
