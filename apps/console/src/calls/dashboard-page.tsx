import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useRouteContext } from '@tanstack/react-router';
import { BarChart3 } from 'lucide-react';
import { useId, useMemo, useState } from 'react';
import { describeError } from '../api/api-error';
import { Badge } from '../ui/badge';
import { EmptyState } from '../ui/empty-state';
import { Skeleton } from '../ui/skeleton';
import { dashboardQuery, rubricsQuery } from './calls-api';
import { formatPercent, scoreTone } from './describe-call';
import { Sparkline, TrendChart, weeksBetween } from './trend-chart';

const periods = [4, 12, 26] as const;

/**
 * The team dashboard (every role): calls and the average score over the period, a weekly trend
 * per criterion, and per rep their average, talk share and trend, each linking to the rep's
 * coaching.
 */
export function CallsDashboardPage() {
  const { membership } = useRouteContext({ from: '/o/$orgId' });
  const orgId = membership.orgId;
  const rubricSelect = useId();
  const [weeks, setWeeks] = useState<(typeof periods)[number]>(12);
  const [rubricId, setRubricId] = useState('');
  // The period ends now and starts on the Monday `weeks - 1` weeks before this one (UTC).
  const { from, to, axis } = useMemo(() => {
    const now = new Date();
    const start = new Date(now);
    start.setUTCDate(start.getUTCDate() - 7 * (weeks - 1) - ((now.getUTCDay() + 6) % 7));
    start.setUTCHours(0, 0, 0, 0);
    // The API takes UTC days (YYYY-MM-DD).
    return {
      from: start.toISOString().slice(0, 10),
      to: now.toISOString().slice(0, 10),
      axis: weeksBetween(start, now),
    };
  }, [weeks]);
  const rubrics = useQuery(rubricsQuery(orgId));
  const dashboard = useQuery({
    ...dashboardQuery(orgId, from, to, rubricId),
    placeholderData: keepPreviousData,
  });

  return (
    <div className="form-stack">
      <div className="calls-toolbar">
        <fieldset className="segmented">
          <legend className="visually-hidden">Period</legend>
          {periods.map((n) => (
            <button
              key={n}
              type="button"
              className="segmented-option"
              aria-pressed={weeks === n}
              onClick={() => setWeeks(n)}
            >
              {n} weeks
            </button>
          ))}
        </fieldset>
        <div className="field field-inline">
          <label className="field-label" htmlFor={rubricSelect}>
            Rubric
          </label>
          <select
            id={rubricSelect}
            className="select"
            value={rubricId}
            onChange={(e) => setRubricId(e.target.value)}
          >
            <option value="">All rubrics</option>
            {(rubrics.data ?? []).map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {dashboard.isPending ? (
        <div className="form-stack" aria-busy="true">
          <Skeleton height="5.5rem" />
          <Skeleton height="12rem" />
        </div>
      ) : dashboard.isError ? (
        <p className="field-error" role="alert">
          Could not load the dashboard: {describeError(dashboard.error)}
        </p>
      ) : dashboard.data.calls === 0 ? (
        <EmptyState icon={<BarChart3 />} title={`No scored calls in the last ${weeks} weeks`}>
          <p>Upload calls: once scored, the team's trends per criterion and per rep show here.</p>
        </EmptyState>
      ) : (
        <div className="form-stack" aria-busy={dashboard.isPlaceholderData || undefined}>
          <dl className="stat-grid">
            <div className="stat">
              <dt className="stat-label">Calls</dt>
              <dd className="stat-value">{dashboard.data.calls}</dd>
            </div>
            <div className="stat">
              <dt className="stat-label">Average score</dt>
              <dd className="stat-value">
                {dashboard.data.averageScore === null ? '—' : Math.round(dashboard.data.averageScore)}
              </dd>
              <dd className="stat-detail">out of 100</dd>
            </div>
            <div className="stat">
              <dt className="stat-label">Reps</dt>
              <dd className="stat-value">{dashboard.data.perRep.length}</dd>
            </div>
          </dl>
          <section aria-labelledby="dashboard-reps-title" className="form-stack">
            <h2 id="dashboard-reps-title" className="section-title">
              Reps
            </h2>
            {dashboard.data.perRep.length === 0 ? (
              <p className="muted">
                None of these calls names a rep. Add the rep's name when uploading (or edit a call) to see
                each rep's scores and coaching here.
              </p>
            ) : (
              <div className="table-scroll">
                <table className="table reps-table">
                  <thead>
                    <tr>
                      <th scope="col">Rep</th>
                      <th scope="col">Calls</th>
                      <th scope="col">Average score</th>
                      <th scope="col">Talk share</th>
                      <th scope="col">Trend</th>
                    </tr>
                  </thead>
                  <tbody>
                    {dashboard.data.perRep.map((rep) => (
                      <tr key={rep.repName}>
                        <td className="row-name">
                          <Link
                            to="/o/$orgId/calls/reps/$repName"
                            params={{ orgId, repName: rep.repName }}
                            className="call-link"
                          >
                            {rep.repName}
                          </Link>
                        </td>
                        <td>{rep.calls}</td>
                        <td>
                          {rep.averageScore === null ? (
                            '—'
                          ) : (
                            <Badge tone={scoreTone(rep.averageScore)}>{Math.round(rep.averageScore)}</Badge>
                          )}
                        </td>
                        <td>{rep.talkShare === null ? '—' : formatPercent(rep.talkShare)}</td>
                        <td>
                          <Sparkline weeks={axis} points={rep.weeks} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section aria-labelledby="dashboard-criteria-title" className="form-stack">
            <h2 id="dashboard-criteria-title" className="section-title">
              Criteria
            </h2>
            <div className="chart-grid">
              {dashboard.data.perCriterion.map((c) => (
                <TrendChart
                  key={c.criterionId}
                  title={c.name}
                  weeks={axis}
                  points={c.weeks}
                  summary={c.average === null ? 'no scores' : `average ${c.average.toFixed(1)}`}
                />
              ))}
            </div>
          </section>
        </div>
      )}
    </div>
  );
}
