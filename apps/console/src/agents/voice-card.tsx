import type { Agent, AgentVoiceSettings, ModelProviderEntry } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Mic } from 'lucide-react';
import { type FormEvent, useId, useState } from 'react';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import { queryKeys } from '../api/queries';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { TextField } from '../ui/text-field';
import { useToasts } from '../ui/toasts';

/**
 * Voice in the widget: a microphone for visitors, answers read aloud. The models come from the
 * org's own providers (GET /v1/model-providers, models of type transcription / speech); the
 * server refuses anything else. Saved on its own (PATCH /v1/agents/{id} { voice }).
 */
type Choice = { providerId: string; model: string };
const encode = (c: Choice | null | undefined) => (c ? `${c.providerId} ${c.model}` : '');
const decode = (value: string): Choice | null => {
  if (!value) return null;
  const [providerId, ...rest] = value.split(' ');
  return { providerId: providerId!, model: rest.join(' ') };
};

export function VoiceCard({ orgId, agent }: { orgId: string; agent: Agent }) {
  const headingId = useId();
  const sttId = useId();
  const ttsId = useId();
  const recordHintId = useId();
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const [draft, setDraft] = useState<AgentVoiceSettings>(agent.voice);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const providers = useQuery({
    retry: false,
    queryKey: queryKeys.modelProviders(orgId),
    queryFn: ({ signal }) =>
      request<{ providers: ModelProviderEntry[] }>('/v1/model-providers', { orgId, signal }),
  });
  const optionsOf = (type: 'transcription' | 'speech') =>
    (providers.data?.providers ?? []).flatMap((p) =>
      p.models
        .filter((m) => m.type === type)
        .map((m) => ({ value: encode({ providerId: p.id, model: m.id }), label: `${p.name} — ${m.id}` })),
    );
  const stt = optionsOf('transcription');
  const tts = optionsOf('speech');
  const dirty = JSON.stringify(draft) !== JSON.stringify(agent.voice);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (draft.enabled && (!draft.transcription || !draft.speech)) {
      setError('Choose a transcription model and a speech model to turn voice on.');
      return;
    }
    setBusy(true);
    try {
      const voice = draft.speech?.voice?.trim()
        ? draft
        : {
            ...draft,
            speech: draft.speech ? { providerId: draft.speech.providerId, model: draft.speech.model } : null,
          };
      const saved = await request<Agent>(`/v1/agents/${agent.id}`, {
        method: 'PATCH',
        orgId,
        body: { voice },
      });
      queryClient.setQueryData(queryKeys.agent(orgId, agent.id), saved);
      setDraft(saved.voice);
      toasts.show({ tone: 'info', title: 'Voice settings saved' });
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card snippet-card" aria-labelledby={headingId}>
      <div className="snippet-head">
        <h2 id={headingId} className="section-title">
          Voice
        </h2>
        <Badge tone={agent.voice.enabled ? 'success' : 'neutral'}>{agent.voice.enabled ? 'On' : 'Off'}</Badge>
      </div>
      <p className="muted">
        Visitors can hold the microphone to ask out loud; the answer appears as text and is read aloud. The
        browser is asked for the microphone only when the visitor presses it. Audio goes only to the providers
        chosen here and lives in server memory until it is transcribed, unless you keep recordings and the
        visitor agrees.
      </p>
      {providers.isSuccess && (stt.length === 0 || tts.length === 0) && (
        <p className="notice" role="status">
          Add a transcription model and a speech model to one of your model providers (Settings → Model
          providers) to offer voice.
        </p>
      )}
      <form className="form-stack" onSubmit={save} noValidate aria-label="Voice settings">
        <label className="check-row">
          <input
            type="checkbox"
            checked={draft.enabled}
            onChange={(e) =>
              setDraft((d) => ({
                ...d,
                enabled: e.target.checked,
                recordAudio: e.target.checked && d.recordAudio,
              }))
            }
          />
          <span className="check-label">Let visitors talk to this agent</span>
        </label>
        <div className="field">
          <label className="field-label" htmlFor={sttId}>
            Transcription model (speech to text)
          </label>
          <select
            id={sttId}
            className="select"
            value={encode(draft.transcription)}
            onChange={(e) => setDraft((d) => ({ ...d, transcription: decode(e.target.value) }))}
          >
            <option value="">None</option>
            {stt.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ttsId}>
            Speech model (text to speech)
          </label>
          <select
            id={ttsId}
            className="select"
            value={encode(draft.speech)}
            onChange={(e) => {
              const choice = decode(e.target.value);
              setDraft((d) => ({
                ...d,
                speech: choice ? { ...choice, ...(d.speech?.voice ? { voice: d.speech.voice } : {}) } : null,
              }));
            }}
          >
            <option value="">None</option>
            {tts.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <TextField
          label="Voice name"
          hint="The speech provider's voice (for example alloy or nova); empty: the provider's default."
          maxLength={100}
          value={draft.speech?.voice ?? ''}
          disabled={!draft.speech}
          onChange={(e) =>
            setDraft((d) => (d.speech ? { ...d, speech: { ...d.speech, voice: e.target.value } } : d))
          }
        />
        <label className="check-row">
          <input
            type="checkbox"
            checked={draft.recordAudio}
            disabled={!draft.enabled || !agent.storeTranscripts}
            aria-describedby={recordHintId}
            onChange={(e) => setDraft((d) => ({ ...d, recordAudio: e.target.checked }))}
          />
          <span className="check-label">Keep recordings of voice messages (with the visitor’s consent)</span>
        </label>
        <p className="field-hint" id={recordHintId}>
          {agent.storeTranscripts
            ? 'Visitors see an unticked “Keep a recording of my voice messages” box. A voice message is kept only if they tick it: encrypted, for the recordings retention period, and deleted when they withdraw. Without their consent nothing is kept.'
            : 'This agent keeps no transcripts, so it keeps no recordings either.'}
        </p>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div>
          <Button type="submit" variant="primary" disabled={busy || !dirty}>
            <Mic aria-hidden="true" />
            Save voice settings
          </Button>
        </div>
      </form>
    </section>
  );
}
