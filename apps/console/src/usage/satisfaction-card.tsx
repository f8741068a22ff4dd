import type { SatisfactionReport } from '@confidant/contract';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import './satisfaction-card.css';

/** Satisfaction over the last `days` UTC days (viewer and above); the key starts with the org id. */
export const satisfactionQuery = (orgId: string, days: number) =>
  queryOptions({
    queryKey: [orgId, 'usage-satisfaction', days] as const,
    queryFn: ({ signal }) => {
      const from = new Date(Date.now() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
      return request<SatisfactionReport>(`/v1/usage/satisfaction?from=${from}`, { orgId, signal });
    },
  });

/**
 * Customer satisfaction (CSAT) on the Usage page: the average of the ratings visitors gave
 * closed conversations and how many gave each score. Numbers only: comments stay with their
 * conversation (inbox), never here.
 */
export function SatisfactionCard({ orgId, days }: { orgId: string; days: number }) {
  const titleId = useId();
  const csat = useQuery({ ...satisfactionQuery(orgId, days), placeholderData: keepPreviousData });
  const data = csat.data;
  const most = data ? Math.max(1, ...data.distribution) : 1;
  return (
    <section className="chart satisfaction-card" aria-labelledby={titleId}>
      <div className="chart-caption">
        <h2 id={titleId} className="chart-title">
          Customer satisfaction
        </h2>
        {data && (
          <span className="chart-total">
            {data.count === 1 ? '1 rating' : `${data.count.toLocaleString()} ratings`}
          </span>
        )}
      </div>
      {csat.isError ? (
        <p className="field-error" role="alert">
          Could not load satisfaction: {describeError(csat.error)}
        </p>
      ) : !data ? (
        <p className="stat-detail">Loading…</p>
      ) : data.count === 0 ? (
        <p className="stat-detail">
          No ratings yet. Visitors are asked to rate a conversation when it closes.
        </p>
      ) : (
        <>
          <p className="csat-average">
            <strong>{data.average?.toFixed(1)}</strong> out of 5 on average
          </p>
          <ul className="csat-distribution" aria-label="Ratings by score">
            {[5, 4, 3, 2, 1].map((score) => {
              const n = data.distribution[score - 1] ?? 0;
              return (
                <li key={score} className="csat-row">
                  <span className="csat-score">{score} ★</span>
                  <span className="csat-bar" aria-hidden="true">
                    <span style={{ width: `${(n / most) * 100}%` }} />
                  </span>
                  <span className="csat-count">
                    {n}
                    <span className="visually-hidden">
                      {' '}
                      {n === 1 ? 'rating' : 'ratings'} of {score}
                    </span>
                  </span>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
