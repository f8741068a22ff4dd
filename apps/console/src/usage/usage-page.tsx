import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useRouteContext } from '@tanstack/react-router';
import { BarChart3 } from 'lucide-react';
import { useState } from 'react';
import { describeError } from '../api/api-error';
import { usageQuery, usageReportQuery } from '../api/queries';
import { canAdminister } from '../shell/roles';
import { EmptyState } from '../ui/empty-state';
import { Skeleton } from '../ui/skeleton';
import { BarChart } from './bar-chart';
import { BreakdownTable, formatCostOrUnknown } from './breakdown-table';
import { LimitsCard } from './limits-card';
import { SatisfactionCard } from './satisfaction-card';
import {
  formatAudioMinutes,
  formatCompact,
  formatCount,
  formatDuration,
  formatUsd,
  summarize,
} from './summarize';
import '../ui/charts.css';
import './usage.css';

const periods = [7, 30, 90] as const;

/**
 * Usage (every role): totals for the period, the share of conversations resolved without a
 * person, the operators' median first response, model tokens and cost, audio transcribed and
 * characters spoken (speech models, with their unpriced part), and conversations and handoffs per
 * UTC day.
 */
export function UsagePage() {
  const { membership } = useRouteContext({ from: '/o/$orgId' });
  const [days, setDays] = useState<(typeof periods)[number]>(30);
  const usage = useQuery({ ...usageQuery(membership.orgId, days), placeholderData: keepPreviousData });
  const summary = usage.data ? summarize(usage.data) : null;
  const orgId = membership.orgId;
  const byDay = useQuery({ ...usageReportQuery(orgId, days, 'day'), placeholderData: keepPreviousData });
  const byModel = useQuery({ ...usageReportQuery(orgId, days, 'model'), placeholderData: keepPreviousData });
  const byAgent = useQuery({ ...usageReportQuery(orgId, days, 'agent'), placeholderData: keepPreviousData });
  const costDays = byDay.data?.series.map((s) => ({ day: s.key ?? '', cost: s.costUsd ?? 0 })) ?? [];

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-title">Usage</h1>
          <p className="page-lead">
            Conversations, handoffs, response times, model tokens, speech and cost per day (UTC), and your
            monthly limits.
          </p>
        </div>
        <fieldset className="segmented">
          <legend className="visually-hidden">Period</legend>
          {periods.map((n) => (
            <button
              key={n}
              type="button"
              className="segmented-option"
              aria-pressed={days === n}
              onClick={() => setDays(n)}
            >
              {n} days
            </button>
          ))}
        </fieldset>
      </header>
      {usage.isPending ? (
        <div className="form-stack" aria-busy="true">
          <div className="stat-grid">
            {[1, 2, 3, 4].map((n) => (
              <Skeleton key={n} height="5.5rem" />
            ))}
          </div>
          <Skeleton height="12rem" />
          <Skeleton height="12rem" />
        </div>
      ) : usage.isError || !summary ? (
        <p className="field-error" role="alert">
          Could not load usage: {describeError(usage.error)}
        </p>
      ) : (
        <div className="form-stack" aria-busy={usage.isPlaceholderData || undefined}>
          <dl className="stat-grid">
            <Stat label="Conversations" value={formatCount(summary.conversations)} />
            <Stat label="Handoffs to a person" value={formatCount(summary.handoffs)} />
            <Stat
              label="Resolved without a person"
              value={summary.resolvedShare === null ? '—' : `${Math.round(summary.resolvedShare * 100)}%`}
              detail={`${formatCount(summary.resolvedWithoutPerson)} of ${formatCount(summary.conversations)}`}
            />
            <Stat
              label="Median first response"
              value={
                summary.medianFirstResponseSeconds === null
                  ? '—'
                  : formatDuration(summary.medianFirstResponseSeconds)
              }
              detail="by an operator, after a handoff"
            />
            <Stat label="Model tokens" value={formatCompact(summary.tokens)} detail="in and out" />
            <Stat
              label="Model cost"
              value={byDay.data ? formatCostOrUnknown(byDay.data.totals.costUsd) : '…'}
              detail={
                byDay.data && byDay.data.totals.unpricedTokens > 0
                  ? `${formatCompact(byDay.data.totals.unpricedTokens)} tokens of unpriced models`
                  : byDay.data &&
                      (byDay.data.totals.unpricedAudioSeconds > 0 || byDay.data.totals.unpricedCharacters > 0)
                    ? 'unpriced speech not included'
                    : 'from the price table'
              }
            />
            <Stat
              label="Audio transcribed"
              value={byDay.data ? formatAudioMinutes(byDay.data.totals.audioSeconds) : '…'}
              detail={
                byDay.data && byDay.data.totals.unpricedAudioSeconds > 0
                  ? `${formatAudioMinutes(byDay.data.totals.unpricedAudioSeconds)} of unpriced models`
                  : 'speech to text: voice messages and calls'
              }
            />
            <Stat
              label="Characters spoken"
              value={byDay.data ? formatCount(byDay.data.totals.characters) : '…'}
              detail={
                byDay.data && byDay.data.totals.unpricedCharacters > 0
                  ? `${formatCount(byDay.data.totals.unpricedCharacters)} of unpriced models`
                  : 'text to speech: spoken answers'
              }
            />
          </dl>
          <div className="chart-grid">
            <LimitsCard orgId={orgId} canEdit={canAdminister(membership.role)} />
            <SatisfactionCard orgId={orgId} days={days} />
          </div>
          {summary.conversations === 0 ? (
            <EmptyState icon={<BarChart3 />} title={`No conversations in the last ${days} days`}>
              <p>Put an agent’s widget on your site; its conversations are counted here each day.</p>
            </EmptyState>
          ) : (
            <div className="chart-grid">
              <BarChart
                title="Conversations"
                unit={['conversation', 'conversations']}
                days={usage.data}
                value={(d) => d.conversations}
              />
              <BarChart
                title="Handoffs"
                unit={['handoff', 'handoffs']}
                days={usage.data}
                value={(d) => d.handoffs}
              />
              <BarChart
                title="Model tokens"
                unit={['token', 'tokens']}
                days={usage.data}
                value={(d) => d.tokensIn + d.tokensOut}
              />
              {costDays.length > 0 && (
                <BarChart
                  title="Model cost"
                  unit={['', '']}
                  format={formatUsd}
                  floor={0.000001}
                  days={costDays}
                  value={(d) => d.cost}
                />
              )}
            </div>
          )}
          <div className="chart-grid">
            {byModel.data && (
              <BreakdownTable title="Tokens and cost per model" nameHeader="Model" report={byModel.data} />
            )}
            {byAgent.data && (
              <BreakdownTable title="Tokens and cost per agent" nameHeader="Agent" report={byAgent.data} />
            )}
          </div>
        </div>
      )}
    </div>
  );
}

function Stat({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div className="stat">
      <dt className="stat-label">{label}</dt>
      <dd className="stat-value">{value}</dd>
      {detail && <dd className="stat-detail">{detail}</dd>}
    </div>
  );
}
