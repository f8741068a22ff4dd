import type { CallDetail, CallMetrics, Rubric } from '@confidant/contract';

type CallScore = CallDetail['scores'][number];

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useRouteContext } from '@tanstack/react-router';
import { ArrowLeft, Pencil, RefreshCw, Trash2 } from 'lucide-react';
import { useId, useRef, useState } from 'react';
import { describeError } from '../api/api-error';
import { canAdminister, roleAtLeast } from '../shell/roles';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Dialog } from '../ui/dialog';
import { Skeleton } from '../ui/skeleton';
import { TextField } from '../ui/text-field';
import { useToasts } from '../ui/toasts';
import {
  callKey,
  callQuery,
  callsKey,
  deleteCall,
  inProgress,
  isPaused,
  reprocessCall,
  rubricsQuery,
  updateCall,
} from './calls-api';
import {
  formatClock,
  formatDate,
  formatDuration,
  formatPercent,
  progressText,
  scaleShare,
  scoreTone,
  speakerName,
  statusLabels,
  statusTones,
} from './describe-call';
import { type PlayerHandle, speakerSlot, TranscriptPlayer } from './transcript-player';
import '../ui/charts.css';
import './calls.css';

/**
 * One call: what it is (title, rep, duration, score, status), the recording with its transcript
 * in step, the rubric scores with their evidence (a quote seeks the recording to it), the local
 * metrics and the coaching. Operators and up edit and reprocess; admins and owners delete.
 */
export function CallPage() {
  const { membership } = useRouteContext({ from: '/o/$orgId' });
  const { callId } = useParams({ from: '/o/$orgId/calls/$callId' });
  const orgId = membership.orgId;
  const call = useQuery(callQuery(orgId, callId));
  const player = useRef<PlayerHandle>(null);

  return (
    <div className="page calls-page call-page">
      <Link to="/o/$orgId/calls" params={{ orgId }} className="calls-back-link">
        <ArrowLeft aria-hidden="true" />
        All calls
      </Link>
      {call.isPending ? (
        <div className="form-stack" aria-busy="true">
          <Skeleton height="3rem" />
          <Skeleton height="12rem" />
        </div>
      ) : call.isError ? (
        <div className="form-stack">
          <h1 className="page-title">Call</h1>
          <p className="form-error" role="alert">
            The call could not be loaded: {describeError(call.error)}
          </p>
        </div>
      ) : (
        <>
          <CallHeader orgId={orgId} call={call.data} role={membership.role} />
          <Processing call={call.data} />
          {call.data.status === 'ready' || call.data.segments.length > 0 ? (
            <div className="call-layout">
              <TranscriptPlayer
                handle={player}
                callId={call.data.id}
                segments={call.data.segments}
                repSpeaker={call.data.repSpeaker}
                diarized={call.data.diarized}
              />
              <div className="call-side">
                {call.data.scores.map((score) => (
                  <ScoreCard
                    key={score.rubricId}
                    score={score}
                    onEvidence={(index) => player.current?.seekToSegment(index)}
                  />
                ))}
                {call.data.status === 'ready' && call.data.scores.length === 0 && (
                  <section className="call-card" aria-label="Scores">
                    <h2 className="section-title">Scores</h2>
                    <p className="muted">
                      Not scored: no scoring model is chosen in the Calls settings, or no rubric exists.
                    </p>
                  </section>
                )}
                {call.data.coaching && <CoachingCard coaching={call.data.coaching} />}
              </div>
            </div>
          ) : null}
          {call.data.metrics && (
            <MetricsCard
              metrics={call.data.metrics}
              diarized={call.data.diarized}
              onSeek={(time) => {
                const segment = [...call.data.segments].reverse().find((s) => s.start <= time + 0.05);
                if (segment) player.current?.seekToSegment(segment.index);
              }}
            />
          )}
        </>
      )}
    </div>
  );
}

/** While the call is processed: its stage and progress, announced politely as they change. */
function Processing({ call }: { call: CallDetail }) {
  if (call.status === 'failed')
    return (
      <p className="notice notice-danger" role="alert">
        Processing failed{call.error ? `: ${call.error}` : '.'}
      </p>
    );
  if (isPaused(call))
    return (
      <p className="notice" role="status">
        {call.error}
      </p>
    );
  if (!inProgress(call)) return null;
  const percent = Math.round(call.progress * 100);
  return (
    <div className="call-card call-processing">
      <div
        role="progressbar"
        aria-label={`Processing ${call.title}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={progressText(call)}
        className={call.status === 'queued' ? 'progress progress-waiting' : 'progress'}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <p role="status" className="muted">
        {progressText(call)}
      </p>
    </div>
  );
}

function CallHeader({
  orgId,
  call,
  role,
}: {
  orgId: string;
  call: CallDetail;
  role: Parameters<typeof canAdminister>[0];
}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toasts = useToasts();
  const [dialog, setDialog] = useState<'edit' | 'reprocess' | 'delete' | null>(null);
  const canEdit = roleAtLeast(role, 'agent');
  const score = call.scores[0]?.total ?? call.score;
  const refresh = () => queryClient.invalidateQueries({ queryKey: callsKey(orgId) });
  return (
    <header className="call-header">
      <div className="call-header-text">
        <h1 className="page-title">{call.title}</h1>
        <dl className="call-facts">
          <div>
            <dt>Rep</dt>
            <dd>{call.repName ?? '—'}</dd>
          </div>
          <div>
            <dt>Date</dt>
            <dd>{formatDate(call.createdAt)}</dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd>{formatDuration(call.durationSeconds)}</dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd>
              {isPaused(call) ? (
                <Badge tone="warning">Paused</Badge>
              ) : (
                <Badge tone={statusTones[call.status]}>{statusLabels[call.status]}</Badge>
              )}
            </dd>
          </div>
          <div>
            <dt>Score</dt>
            <dd>
              {score === null ? '—' : <Badge tone={scoreTone(score)}>{`${Math.round(score)} / 100`}</Badge>}
            </dd>
          </div>
        </dl>
      </div>
      {canEdit && (
        <div className="call-header-actions">
          <Button onClick={() => setDialog('edit')}>
            <Pencil aria-hidden="true" />
            Edit
          </Button>
          <Button disabled={inProgress(call)} onClick={() => setDialog('reprocess')}>
            <RefreshCw aria-hidden="true" />
            Reprocess
          </Button>
          {canAdminister(role) && (
            <Button variant="danger" onClick={() => setDialog('delete')}>
              <Trash2 aria-hidden="true" />
              Delete
            </Button>
          )}
        </div>
      )}
      {dialog === 'edit' && (
        <EditCallDialog
          orgId={orgId}
          call={call}
          onClose={() => setDialog(null)}
          onSaved={(saved) => {
            queryClient.setQueryData(callKey(orgId, call.id), saved);
            void refresh();
            toasts.show({ tone: 'info', title: 'Call updated' });
          }}
        />
      )}
      {dialog === 'reprocess' && (
        <ReprocessDialog
          orgId={orgId}
          call={call}
          onClose={() => setDialog(null)}
          onDone={() => {
            void refresh();
            toasts.show({ tone: 'info', title: 'Scoring again', detail: 'The transcript is kept.' });
          }}
        />
      )}
      <ConfirmDialog
        open={dialog === 'delete'}
        onOpenChange={(open) => setDialog(open ? 'delete' : null)}
        title={`Delete ${call.title}?`}
        description="The recording, its transcript and its scores are deleted for good."
        confirmLabel="Delete call"
        onConfirm={async () => {
          try {
            await deleteCall(orgId, call.id);
          } catch (error) {
            toasts.showError('The call could not be deleted', error);
            throw error;
          }
          queryClient.removeQueries({ queryKey: callKey(orgId, call.id) });
          void refresh();
          toasts.show({ tone: 'info', title: 'Call deleted' });
          void navigate({ to: '/o/$orgId/calls', params: { orgId } });
        }}
      />
    </header>
  );
}

function EditCallDialog({
  orgId,
  call,
  onClose,
  onSaved,
}: {
  orgId: string;
  call: CallDetail;
  onClose: () => void;
  onSaved: (call: CallDetail) => void;
}) {
  const speakerId = useId();
  const [title, setTitle] = useState(call.title);
  const [repName, setRepName] = useState(call.repName ?? '');
  const [repSpeaker, setRepSpeaker] = useState(call.repSpeaker);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const speakers = [...new Set([call.repSpeaker, ...call.segments.map((s) => s.speaker)])].sort();
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title="Edit call">
      <form
        className="form-stack"
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setError(null);
          try {
            const changes: { title?: string; repName?: string | null; repSpeaker?: string } = {};
            if (title.trim() !== call.title) changes.title = title.trim();
            const rep = repName.trim() || null;
            if (rep !== call.repName) changes.repName = rep;
            if (repSpeaker !== call.repSpeaker) changes.repSpeaker = repSpeaker;
            onSaved(Object.keys(changes).length > 0 ? await updateCall(orgId, call.id, changes) : call);
            onClose();
          } catch (e) {
            setError(describeError(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        <TextField
          label="Title"
          required
          maxLength={200}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
        />
        <TextField
          label="Rep name"
          maxLength={200}
          value={repName}
          onChange={(e) => setRepName(e.target.value)}
        />
        {speakers.length > 1 && (
          <div className="field">
            <label className="field-label" htmlFor={speakerId}>
              Which speaker is the rep
            </label>
            <select
              id={speakerId}
              className="select"
              value={repSpeaker}
              onChange={(e) => setRepSpeaker(e.target.value)}
            >
              {speakers.map((s) => (
                <option key={s} value={s}>
                  {speakerName(s)}
                </option>
              ))}
            </select>
          </div>
        )}
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy || !title.trim()}>
            Save
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function ReprocessDialog({
  orgId,
  call,
  onClose,
  onDone,
}: {
  orgId: string;
  call: CallDetail;
  onClose: () => void;
  onDone: () => void;
}) {
  const rubricId = useId();
  const rubrics = useQuery(rubricsQuery(orgId));
  const [rubric, setRubric] = useState(call.rubricId ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title="Reprocess call"
      description="The call is scored again against the rubric you choose; the transcript is kept."
    >
      <div className="form-stack">
        <div className="field">
          <label className="field-label" htmlFor={rubricId}>
            Rubric
          </label>
          <select id={rubricId} className="select" value={rubric} onChange={(e) => setRubric(e.target.value)}>
            <option value="">Default rubric</option>
            {(rubrics.data ?? ([] as Rubric[])).map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="primary"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              try {
                await reprocessCall(orgId, call.id, rubric || undefined);
                onDone();
                onClose();
              } catch (e) {
                setError(describeError(e));
              } finally {
                setBusy(false);
              }
            }}
          >
            Reprocess
          </Button>
        </div>
      </div>
    </Dialog>
  );
}

/** The rubric's criteria: score on the scale, weight, rationale and the quotes it rests on. */
function ScoreCard({ score, onEvidence }: { score: CallScore; onEvidence: (segmentIndex: number) => void }) {
  const titleId = useId();
  return (
    <section className="call-card" aria-labelledby={titleId}>
      <div className="call-card-header">
        <h2 id={titleId} className="section-title">
          Scores: {score.rubricName}
        </h2>
        <Badge tone={scoreTone(score.total)}>{`${Math.round(score.total)} / 100`}</Badge>
      </div>
      <ul className="criteria">
        {score.criteria.map((c) => {
          const share = scaleShare(c.score, c.min, c.max);
          return (
            <li key={c.criterionId} className="criterion">
              <div className="criterion-head">
                <h3 className="criterion-name">{c.name}</h3>
                <span className="criterion-score">
                  {c.score} <span className="muted">/ {c.max}</span>
                </span>
              </div>
              <div className="meter" aria-hidden="true">
                <div
                  className={`meter-fill meter-${scoreTone(share * 100)}`}
                  style={{ width: formatPercent(share) }}
                />
              </div>
              <p className="criterion-rationale">{c.rationale}</p>
              {c.evidence.length > 0 && (
                <ul className="evidence" aria-label={`Evidence for ${c.name}`}>
                  {c.evidence.map((e) => (
                    <li key={`${e.segmentIndex}-${e.quote}`}>
                      <button
                        type="button"
                        className="evidence-link"
                        onClick={() => onEvidence(e.segmentIndex)}
                      >
                        <span className="evidence-time">{formatClock(e.start)}</span>
                        <q>{e.quote}</q>
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
      <p className="call-card-foot muted">
        Weighted total of {score.criteria.length} criteria, scored by {score.model} on{' '}
        {formatDate(score.scoredAt)}.
      </p>
    </section>
  );
}

function CoachingCard({ coaching }: { coaching: NonNullable<CallDetail['coaching']> }) {
  return (
    <section className="call-card" aria-labelledby="call-coaching-title">
      <h2 id="call-coaching-title" className="section-title">
        Coaching
      </h2>
      <div className="coaching">
        <div>
          <h3 className="coaching-heading coaching-good">What went well</h3>
          {coaching.wentWell.length > 0 ? (
            <ul className="coaching-list">
              {coaching.wentWell.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">Nothing noted.</p>
          )}
        </div>
        <div>
          <h3 className="coaching-heading coaching-next">Try next time</h3>
          {coaching.tryNext.length > 0 ? (
            <ul className="coaching-list">
              {coaching.tryNext.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">Nothing noted.</p>
          )}
        </div>
      </div>
    </section>
  );
}

/** Measured on the transcript alone (no model): talk ratio, monologue, questions, pace, fillers. */
function MetricsCard({
  metrics,
  diarized,
  onSeek,
}: {
  metrics: CallMetrics;
  diarized: boolean;
  onSeek: (time: number) => void;
}) {
  const roleLabel = (role: string) => (role === 'rep' ? 'Rep' : role === 'customer' ? 'Customer' : '');
  return (
    <section className="call-card" aria-labelledby="call-metrics-title">
      <h2 id="call-metrics-title" className="section-title">
        Metrics
      </h2>
      {diarized && metrics.speakers.length > 0 && (
        <figure className="talk-ratio">
          <figcaption className="talk-ratio-caption">Talk / listen ratio</figcaption>
          <div className="talk-ratio-bar" aria-hidden="true">
            {metrics.speakers.map((s) => (
              <div
                key={s.speaker}
                className={`talk-ratio-part speaker-bg-${speakerSlot(s.speaker)}`}
                style={{ width: formatPercent(s.talkShare) }}
                title={`${speakerName(s.speaker)}: ${formatPercent(s.talkShare)}`}
              />
            ))}
          </div>
          <ul className="talk-ratio-legend">
            {metrics.speakers.map((s) => (
              <li key={s.speaker}>
                <span className={`swatch speaker-bg-${speakerSlot(s.speaker)}`} aria-hidden="true" />
                {speakerName(s.speaker)}
                {roleLabel(s.role) && ` (${roleLabel(s.role)})`}: {formatPercent(s.talkShare)}
              </li>
            ))}
          </ul>
        </figure>
      )}
      <dl className="stat-grid call-stats">
        <div className="stat">
          <dt className="stat-label">Longest monologue</dt>
          <dd className="stat-value">
            {metrics.longestMonologue ? formatDuration(metrics.longestMonologue.seconds) : '—'}
          </dd>
          {metrics.longestMonologue && (
            <dd className="stat-detail">
              <button
                type="button"
                className="link-button"
                onClick={() => onSeek(metrics.longestMonologue!.start)}
              >
                {speakerName(metrics.longestMonologue.speaker)} at{' '}
                {formatClock(metrics.longestMonologue.start)}
              </button>
            </dd>
          )}
        </div>
        <div className="stat">
          <dt className="stat-label">Questions</dt>
          <dd className="stat-value">{metrics.questions}</dd>
        </div>
        <div className="stat">
          <dt className="stat-label">Interruptions</dt>
          <dd className="stat-value">{metrics.interruptions}</dd>
        </div>
        <div className="stat">
          <dt className="stat-label">Words per minute</dt>
          <dd className="stat-value">{Math.round(metrics.wordsPerMinute)}</dd>
        </div>
        <div className="stat">
          <dt className="stat-label">Filler words</dt>
          <dd className="stat-value">{metrics.fillerWords}</dd>
        </div>
      </dl>
      {metrics.speakers.length > 0 && (
        <div className="table-scroll">
          <table className="table metrics-table">
            <caption className="visually-hidden">Metrics per speaker</caption>
            <thead>
              <tr>
                <th scope="col">Speaker</th>
                <th scope="col">Talk time</th>
                <th scope="col">Share</th>
                <th scope="col">Longest monologue</th>
                <th scope="col">Questions</th>
                <th scope="col">Interruptions</th>
                <th scope="col">Words / min</th>
                <th scope="col">Filler words</th>
              </tr>
            </thead>
            <tbody>
              {metrics.speakers.map((s) => (
                <tr key={s.speaker}>
                  <td className="row-name">
                    {speakerName(s.speaker)}
                    {roleLabel(s.role) && <span className="muted"> · {roleLabel(s.role)}</span>}
                  </td>
                  <td>{formatDuration(s.talkSeconds)}</td>
                  <td>{formatPercent(s.talkShare)}</td>
                  <td>{formatDuration(s.longestMonologueSeconds)}</td>
                  <td>{s.questions}</td>
                  <td>{s.interruptions}</td>
                  <td>{Math.round(s.wordsPerMinute)}</td>
                  <td>
                    {s.fillerWords}
                    {Object.keys(s.fillerCounts).length > 0 && (
                      <span className="filler-counts">
                        {' '}
                        (
                        {Object.entries(s.fillerCounts)
                          .sort((a, b) => b[1] - a[1])
                          .map(([word, n]) => `“${word}” ×${n}`)
                          .join(', ')}
                        )
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
