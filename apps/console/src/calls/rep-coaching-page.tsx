import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useRouteContext } from '@tanstack/react-router';
import { ArrowLeft } from 'lucide-react';
import { describeError } from '../api/api-error';
import { Badge } from '../ui/badge';
import { Skeleton } from '../ui/skeleton';
import { repCoachingQuery } from './calls-api';
import { formatDate, scoreTone } from './describe-call';
import { niceMax } from './trend-chart';

const format = (n: number | null) => (n === null ? '—' : n.toFixed(1));

/**
 * One rep over time: their average per criterion against the team's (two bars each, the numbers
 * in the table), the strengths and focus areas that recur in their calls, and their recent calls.
 */
export function RepCoachingPage() {
  const { membership } = useRouteContext({ from: '/o/$orgId' });
  const { repName } = useParams({ from: '/o/$orgId/calls/reps/$repName' });
  const orgId = membership.orgId;
  const coaching = useQuery(repCoachingQuery(orgId, repName));
  const top = coaching.data
    ? niceMax(coaching.data.criteria.flatMap((c) => [c.average ?? 0, c.teamAverage ?? 0]))
    : 1;

  return (
    <div className="form-stack">
      <Link to="/o/$orgId/calls/dashboard" params={{ orgId }} className="calls-back-link">
        <ArrowLeft aria-hidden="true" />
        Dashboard
      </Link>
      <h2 className="section-title rep-title">Coaching for {repName}</h2>
      {coaching.isPending ? (
        <div className="form-stack" aria-busy="true">
          <Skeleton height="8rem" />
        </div>
      ) : coaching.isError ? (
        <p className="field-error" role="alert">
          Could not load the coaching: {describeError(coaching.error)}
        </p>
      ) : (
        <>
          <dl className="stat-grid">
            <div className="stat">
              <dt className="stat-label">Calls</dt>
              <dd className="stat-value">{coaching.data.calls}</dd>
            </div>
            <div className="stat">
              <dt className="stat-label">Average score</dt>
              <dd className="stat-value">
                {coaching.data.averageScore === null ? '—' : Math.round(coaching.data.averageScore)}
              </dd>
              <dd className="stat-detail">out of 100</dd>
            </div>
          </dl>
          <section className="call-card" aria-labelledby="rep-criteria-title">
            <h3 id="rep-criteria-title" className="section-title">
              {repName} and the team, per criterion
            </h3>
            <table className="table rep-criteria">
              <thead>
                <tr>
                  <th scope="col">Criterion</th>
                  <th scope="col">{repName}</th>
                  <th scope="col">Team</th>
                  <th scope="col">
                    <span className="visually-hidden">Comparison</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {coaching.data.criteria.map((c) => (
                  <tr key={c.criterionId}>
                    <td className="row-name">{c.name}</td>
                    <td>{format(c.average)}</td>
                    <td>{format(c.teamAverage)}</td>
                    <td className="compare-cell" aria-hidden="true">
                      <div
                        className="compare-bar compare-rep"
                        style={{ width: `${((c.average ?? 0) / top) * 100}%` }}
                      />
                      <div
                        className="compare-bar compare-team"
                        style={{ width: `${((c.teamAverage ?? 0) / top) * 100}%` }}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="compare-legend muted" aria-hidden="true">
              <span className="swatch compare-rep" /> {repName} <span className="swatch compare-team" /> Team
            </p>
          </section>
          <div className="coaching call-card">
            <section aria-labelledby="rep-strengths-title">
              <h3 id="rep-strengths-title" className="coaching-heading coaching-good">
                Strengths
              </h3>
              {coaching.data.strengths.length > 0 ? (
                <ul className="coaching-list">
                  {coaching.data.strengths.map((s) => (
                    <li key={s}>{s}</li>
                  ))}
                </ul>
              ) : (
                <p className="muted">None yet.</p>
              )}
            </section>
            <section aria-labelledby="rep-focus-title">
              <h3 id="rep-focus-title" className="coaching-heading coaching-next">
                Focus areas
              </h3>
              {coaching.data.focusAreas.length > 0 ? (
                <ul className="coaching-list">
                  {coaching.data.focusAreas.map((s) => (
                    <li key={s}>{s}</li>
                  ))}
                </ul>
              ) : (
                <p className="muted">None yet.</p>
              )}
            </section>
          </div>
          <section aria-labelledby="rep-recent-title" className="form-stack">
            <h3 id="rep-recent-title" className="section-title">
              Recent calls
            </h3>
            {coaching.data.recent.length === 0 ? (
              <p className="muted">No calls.</p>
            ) : (
              <ul className="recent-calls">
                {coaching.data.recent.map((call) => (
                  <li key={call.callId}>
                    <Link
                      to="/o/$orgId/calls/$callId"
                      params={{ orgId, callId: call.callId }}
                      className="call-link"
                    >
                      {call.title}
                    </Link>
                    <span className="muted">{formatDate(call.createdAt)}</span>
                    {call.score !== null && (
                      <Badge tone={scoreTone(call.score)}>{Math.round(call.score)}</Badge>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </div>
  );
}
