import type { CallModelChoice, CallSettings } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouteContext } from '@tanstack/react-router';
import { type FormEvent, useId, useState } from 'react';
import { describeError } from '../api/api-error';
import { Button } from '../ui/button';
import { Skeleton } from '../ui/skeleton';
import { TextField } from '../ui/text-field';
import { useToasts } from '../ui/toasts';
import {
  callSettingsKey,
  callSettingsQuery,
  providersQuery,
  rubricsQuery,
  saveCallSettings,
} from './calls-api';

const encode = (c: CallModelChoice | null) => (c ? `${c.providerId} ${c.model}` : '');
const decode = (value: string): CallModelChoice | null => {
  if (!value) return null;
  const [providerId, ...rest] = value.split(' ');
  return { providerId: providerId!, model: rest.join(' ') };
};

const MB = 1024 * 1024;

/**
 * How calls are processed (admins and owners): the speech-to-text model and the scoring model,
 * chosen among the org's providers' models of that type (Settings → Model providers), the rubric
 * an upload without one uses, and the upload limits (the server's hard caps bound them).
 */
export function CallSettingsPage() {
  const { membership } = useRouteContext({ from: '/o/$orgId' });
  const orgId = membership.orgId;
  const settings = useQuery(callSettingsQuery(orgId));
  return (
    <div className="form-stack">
      <div>
        <h2 className="section-title">Call settings</h2>
        <p className="page-lead">
          The models that transcribe and score calls, the default rubric and the upload limits. Audio and
          transcripts go only to the providers chosen here.
        </p>
      </div>
      {settings.isPending ? (
        <Skeleton height="16rem" />
      ) : settings.isError ? (
        <p className="form-error" role="alert">
          The settings could not be loaded: {describeError(settings.error)}
        </p>
      ) : (
        <SettingsForm orgId={orgId} settings={settings.data} />
      )}
    </div>
  );
}

function SettingsForm({ orgId, settings }: { orgId: string; settings: CallSettings }) {
  const id = useId();
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const providers = useQuery(providersQuery(orgId));
  const rubrics = useQuery(rubricsQuery(orgId));
  const [transcription, setTranscription] = useState(encode(settings.transcription));
  const [scoring, setScoring] = useState(encode(settings.scoring));
  const [defaultRubric, setDefaultRubric] = useState(settings.defaultRubricId ?? '');
  const [maxMb, setMaxMb] = useState(String(Math.round((settings.maxBytes / MB) * 10) / 10));
  const [maxMinutes, setMaxMinutes] = useState(
    String(Math.round((settings.maxDurationSeconds / 60) * 10) / 10),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Model types are strings on the wire: 'transcription' arrives with the speech providers.
  const options = (type: string) =>
    (providers.data?.providers ?? []).flatMap((p) =>
      p.models
        .filter((m) => (m.type as string) === type)
        .map((m) => ({ value: encode({ providerId: p.id, model: m.id }), label: `${p.name} — ${m.id}` })),
    );
  /** The saved choice stays listed even when its provider no longer offers it. */
  const withCurrent = (list: { value: string; label: string }[], current: string) =>
    current && !list.some((o) => o.value === current)
      ? [...list, { value: current, label: `${current.split(' ').slice(1).join(' ')} (not offered now)` }]
      : list;
  const transcriptionOptions = withCurrent(options('transcription'), encode(settings.transcription));
  const scoringOptions = withCurrent(options('chat'), encode(settings.scoring));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = await saveCallSettings(orgId, {
        transcription: decode(transcription),
        scoring: decode(scoring),
        defaultRubricId: defaultRubric || null,
        maxBytes: Math.round(Number(maxMb) * MB),
        maxDurationSeconds: Math.round(Number(maxMinutes) * 60),
      });
      queryClient.setQueryData(callSettingsKey(orgId), saved);
      toasts.show({ tone: 'info', title: 'Call settings saved' });
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="call-card form-stack call-settings" onSubmit={submit}>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-transcription`}>
          Transcription model
        </label>
        <select
          id={`${id}-transcription`}
          className="select"
          value={transcription}
          aria-describedby={`${id}-transcription-hint`}
          onChange={(e) => setTranscription(e.target.value)}
        >
          <option value="">None (calls are not processed)</option>
          {transcriptionOptions.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <span id={`${id}-transcription-hint`} className="field-hint">
          {transcriptionOptions.length === 0
            ? 'No provider offers a transcription model yet: add one in Settings → Model providers.'
            : 'Speech to text with timestamps; speaker labels where the provider gives them.'}
        </span>
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-scoring`}>
          Scoring model
        </label>
        <select
          id={`${id}-scoring`}
          className="select"
          value={scoring}
          aria-describedby={`${id}-scoring-hint`}
          onChange={(e) => setScoring(e.target.value)}
        >
          <option value="">None (local metrics only)</option>
          {scoringOptions.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <span id={`${id}-scoring-hint`} className="field-hint">
          A chat model scores the redacted transcript against the rubric and writes the coaching.
        </span>
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-rubric`}>
          Default rubric
        </label>
        <select
          id={`${id}-rubric`}
          className="select"
          value={defaultRubric}
          onChange={(e) => setDefaultRubric(e.target.value)}
        >
          <option value="">The newest rubric</option>
          {(rubrics.data ?? []).map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </div>
      <div className="call-settings-limits">
        <TextField
          label="Largest upload (MB)"
          type="number"
          min={0.1}
          step="any"
          required
          value={maxMb}
          onChange={(e) => setMaxMb(e.target.value)}
        />
        <TextField
          label="Longest call (minutes)"
          type="number"
          min={0.1}
          step="any"
          required
          value={maxMinutes}
          onChange={(e) => setMaxMinutes(e.target.value)}
        />
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div>
        <Button type="submit" variant="primary" disabled={busy}>
          Save settings
        </Button>
      </div>
    </form>
  );
}
