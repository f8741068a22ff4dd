import type { Agent } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useRouteContext } from '@tanstack/react-router';
import { ArrowLeft, Plus, RotateCw, Trash2, X } from 'lucide-react';
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import { agentQuery, queryKeys } from '../api/queries';
import { canAdminister } from '../shell/roles';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { CopyButton } from '../ui/copy-button';
import { Skeleton } from '../ui/skeleton';
import { TextField } from '../ui/text-field';
import { TextareaField } from '../ui/textarea-field';
import { useToasts } from '../ui/toasts';
import { ActionsSection } from './actions-section';
import {
  type AgentDraft,
  type FieldErrors,
  serverFieldErrors,
  toDraft,
  validateDraft,
} from './agent-form-model';
import { AppearanceSection } from './appearance-section';
import { BusinessHoursEditor } from './business-hours-editor';
import { FlowSection } from './flow-section';
import { IdentitySecretCard } from './identity-secret-card';
import { ModelChoiceFields } from './model-choice-fields';
import { PrivacyNoticeCard } from './privacy-notice-card';
import { VoiceCard } from './voice-card';
import './agents.css';

/** One agent: its settings (admins edit, others read), the embed snippet and a live widget preview. */
export function AgentPage() {
  const { membership } = useRouteContext({ from: '/o/$orgId' });
  const { agentId } = useParams({ from: '/o/$orgId/agents/$agentId' });
  const orgId = membership.orgId;
  const agent = useQuery(agentQuery(orgId, agentId));

  return (
    <div className="page page-wide">
      <Link to="/o/$orgId/agents" params={{ orgId }} className="agent-back-link">
        <ArrowLeft aria-hidden="true" />
        All agents
      </Link>
      {agent.isPending ? (
        <div className="form-stack" aria-busy="true">
          <Skeleton height="2rem" width="40%" />
          <Skeleton height="6rem" />
          <Skeleton height="16rem" />
        </div>
      ) : agent.isError ? (
        <p className="form-error" role="alert">
          {describeError(agent.error)}
        </p>
      ) : (
        <AgentEditor
          // One editor per agent: a background refetch never remounts it (which would drop what the
          // person is typing); a save restarts the draft from what was stored, in `save` below.
          key={agent.data.id}
          agent={agent.data}
          orgId={orgId}
          canEdit={canAdminister(membership.role)}
        />
      )}
    </div>
  );
}

function AgentEditor({ agent, orgId, canEdit }: { agent: Agent; orgId: string; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toasts = useToasts();
  const [draft, setDraft] = useState<AgentDraft>(() => toDraft(agent));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const dirty = JSON.stringify(draft) !== JSON.stringify(toDraft(agent));
  const set = <K extends keyof AgentDraft>(field: K, value: AgentDraft[K]) =>
    setDraft((d) => ({ ...d, [field]: value }));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateDraft(draft);
    setErrors(found);
    setGeneral(null);
    if (Object.keys(found).length > 0) {
      setGeneral('Fix the highlighted fields, then save again.');
      return;
    }
    setBusy(true);
    try {
      const saved = await request<Agent>(`/v1/agents/${agent.id}`, {
        method: 'PATCH',
        orgId,
        body: {
          ...draft,
          name: draft.name.trim(),
          starters: draft.starters.map((s) => s.trim()),
          accentColor: draft.accentColor.toLowerCase(),
          launcherLabel: draft.launcherLabel?.trim() || null,
        },
      });
      queryClient.setQueryData(queryKeys.agent(orgId, agent.id), saved);
      setDraft(toDraft(saved));
      setErrors({});
      void queryClient.invalidateQueries({ queryKey: queryKeys.agents(orgId), exact: true });
      toasts.show({ tone: 'info', title: 'Agent saved' });
    } catch (failure) {
      const server = serverFieldErrors(failure);
      setErrors(server.fields);
      setGeneral(
        server.general ??
          (Object.keys(server.fields).length ? 'Fix the highlighted fields.' : describeError(failure)),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <header className="page-header">
        <div>
          <h1 className="page-title">{agent.name}</h1>
          <p className="page-lead">
            {canEdit ? 'Changes reach your site as soon as you save.' : 'Only admins can change agents.'}
          </p>
        </div>
        {canEdit && (
          <Button variant="danger" onClick={() => setDeleting(true)}>
            <Trash2 aria-hidden="true" />
            Delete agent
          </Button>
        )}
      </header>
      <div className="agent-layout">
        <div className="agent-main">
          <EmbedSnippet agent={agent} />
          {canEdit && <IdentitySecretCard orgId={orgId} agentId={agent.id} />}
          {canEdit && <PrivacyNoticeCard orgId={orgId} agentId={agent.id} />}
          {canEdit && <VoiceCard orgId={orgId} agent={agent} />}
          {canEdit && <ActionsSection orgId={orgId} agentId={agent.id} />}
          <FlowSection orgId={orgId} agentId={agent.id} canEdit={canEdit} />
          <form className="agent-form" onSubmit={save} noValidate aria-label="Agent settings">
            <fieldset disabled={!canEdit} className="agent-fieldset">
              <Section title="Conversation">
                <TextField
                  label="Name"
                  maxLength={100}
                  value={draft.name}
                  onChange={(e) => set('name', e.target.value)}
                  error={errors.name}
                />
                <TextareaField
                  label="Greeting"
                  hint="The first message visitors see when they open the chat."
                  maxLength={500}
                  rows={2}
                  value={draft.greeting}
                  onChange={(e) => set('greeting', e.target.value)}
                  error={errors.greeting}
                />
                <ListEditor
                  legend="Conversation starters"
                  hint="Questions visitors can ask with one tap (up to 6)."
                  itemLabel="Conversation starter"
                  addLabel="Add starter"
                  max={6}
                  maxLength={120}
                  placeholder="How do I return an item?"
                  items={draft.starters}
                  onChange={(v) => set('starters', v)}
                  errors={errors}
                  field="starters"
                />
                <TextareaField
                  label="Instructions"
                  hint="How the assistant should behave: tone, what to avoid, when to hand off."
                  maxLength={8000}
                  rows={5}
                  value={draft.instructions}
                  onChange={(e) => set('instructions', e.target.value)}
                  error={errors.instructions}
                />
              </Section>

              <Section title="Answers and people">
                <RadioGroup
                  legend="Answer mode"
                  name="answerMode"
                  value={draft.answerMode}
                  onChange={(v) => set('answerMode', v)}
                  options={[
                    {
                      value: 'extractive',
                      label: 'Extractive',
                      description:
                        'Replies with the most relevant passages of your knowledge, word for word.',
                    },
                    {
                      value: 'model',
                      label: 'Model',
                      description: 'A language model writes replies from your knowledge, citing its sources.',
                    },
                  ]}
                />
                {draft.answerMode === 'model' && canEdit && (
                  <ModelChoiceFields
                    orgId={orgId}
                    model={draft.model}
                    fallbacks={draft.fallbacks}
                    onChange={(model, fallbacks) => setDraft((d) => ({ ...d, model, fallbacks }))}
                  />
                )}
                <label className="check-row">
                  <input
                    type="checkbox"
                    checked={draft.handoffEnabled}
                    onChange={(e) => set('handoffEnabled', e.target.checked)}
                  />
                  <span>
                    <span className="check-label">Hand off to a person</span>
                    <span className="field-hint">
                      Visitors can ask for a person; the conversation then waits in the inbox.
                    </span>
                  </span>
                </label>
                <BusinessHoursEditor
                  value={draft.businessHours}
                  onChange={(v) => set('businessHours', v)}
                  errors={errors}
                />
              </Section>

              <Section title="Privacy">
                <RadioGroup
                  legend="Remember conversations"
                  name="persistence"
                  value={draft.persistence}
                  onChange={(v) => set('persistence', v)}
                  options={[
                    {
                      value: 'none',
                      label: 'Never',
                      description:
                        'Nothing is kept in the browser: reloading the page starts a new conversation.',
                    },
                    {
                      value: 'tab',
                      label: 'In this tab',
                      description:
                        'After the first message, the conversation survives reloads until the visitor closes the tab.',
                    },
                    {
                      value: 'device',
                      label: 'On this device, if the visitor agrees',
                      description:
                        'Visitors who opt in find the conversation again when they come back later on the same browser.',
                    },
                  ]}
                />
                <label className="check-row">
                  <input
                    type="checkbox"
                    checked={draft.storeTranscripts}
                    onChange={(e) => set('storeTranscripts', e.target.checked)}
                    aria-describedby="store-transcripts-hint"
                  />
                  <span>
                    <span className="check-label">Store transcripts</span>
                    <span id="store-transcripts-hint" className="field-hint">
                      {draft.storeTranscripts
                        ? 'Conversations are kept on the server, so your team can read them later in the inbox.'
                        : 'Off: nothing visitors write is stored. Messages exist only in server memory while the conversation is open — your team can still take over live — and disappear when it closes or the server restarts. No email is asked for, and the widget tells visitors the chat is not stored. Applies to new conversations.'}
                    </span>
                  </span>
                </label>
              </Section>

              <Section title="Appearance">
                <AppearanceSection
                  agent={agent}
                  orgId={orgId}
                  draft={draft}
                  set={set}
                  errors={errors}
                  canEdit={canEdit}
                  radioGroup={
                    <RadioGroup
                      legend="Position"
                      name="position"
                      value={draft.position}
                      onChange={(v) => set('position', v)}
                      inline
                      options={[
                        { value: 'bottom-right', label: 'Bottom right' },
                        { value: 'bottom-left', label: 'Bottom left' },
                      ]}
                    />
                  }
                />
              </Section>

              <Section title="Where it runs">
                <ListEditor
                  legend="Allowed origins"
                  hint="The sites that may show this agent, like https://www.example.com, or * for any site."
                  itemLabel="Allowed origin"
                  addLabel="Add origin"
                  max={50}
                  maxLength={300}
                  placeholder="https://www.example.com"
                  items={draft.allowedOrigins}
                  onChange={(v) => set('allowedOrigins', v)}
                  errors={errors}
                  field="allowedOrigins"
                  inputMode="url"
                />
              </Section>
            </fieldset>
            {canEdit && (
              <div className="agent-save-bar">
                {general && (
                  <p className="form-error" role="alert">
                    {general}
                  </p>
                )}
                <span className="agent-save-actions">
                  {dirty && (
                    <Button
                      onClick={() => {
                        setDraft(toDraft(agent));
                        setErrors({});
                        setGeneral(null);
                      }}
                    >
                      Discard changes
                    </Button>
                  )}
                  <Button type="submit" variant="primary" disabled={busy || !dirty}>
                    {busy ? 'Saving…' : 'Save changes'}
                  </Button>
                </span>
              </div>
            )}
          </form>
        </div>
        <WidgetPreview agent={agent} draft={draft} />
      </div>
      <ConfirmDialog
        open={deleting}
        onOpenChange={setDeleting}
        title={`Delete “${agent.name}”?`}
        description="Its conversations are deleted with it, and the widget stops working on every site. This cannot be undone."
        confirmLabel="Delete agent"
        onConfirm={async () => {
          try {
            await request(`/v1/agents/${agent.id}`, { method: 'DELETE', orgId });
            queryClient.removeQueries({ queryKey: queryKeys.agent(orgId, agent.id) });
            await queryClient.invalidateQueries({ queryKey: queryKeys.agents(orgId), exact: true });
            toasts.show({ tone: 'info', title: `Deleted “${agent.name}”` });
            await navigate({ to: '/o/$orgId/agents', params: { orgId } });
          } catch (error) {
            toasts.showError('Could not delete the agent', error);
          }
        }}
      />
    </>
  );
}

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The tag carries the launcher's saved look, so a page draws it without asking the server anything
 * (the open chat reads the saved look from its config either way). Defaults are left out.
 */
const snippetFor = (agent: Agent) => {
  const look = [
    agent.accentColor !== '#0f766e' ? ` data-accent="${agent.accentColor}"` : '',
    agent.position === 'bottom-left' ? ' data-position="bottom-left"' : '',
    agent.launcherLabel ? ` data-label="${escapeAttribute(agent.launcherLabel)}"` : '',
  ].join('');
  return `<script src="${window.location.origin}/widget.js" data-agent-key="${agent.publishableKey}"${look} async></script>`;
};

function EmbedSnippet({ agent }: { agent: Agent }) {
  const snippet = snippetFor(agent);
  const headingId = useId();
  return (
    <section className="card snippet-card" aria-labelledby={headingId}>
      <div className="snippet-head">
        <h2 id={headingId} className="section-title">
          Add it to your site
        </h2>
        <CopyButton text={snippet} label="Copy snippet" />
      </div>
      <p className="muted">
        Paste this tag before the closing &lt;/body&gt; of every page that should show the chat.
      </p>
      <pre className="snippet">
        <code>{snippet}</code>
      </pre>
      {agent.allowedOrigins.length === 0 && (
        <p className="notice">
          Then list your site in <strong>Allowed origins</strong> below: the widget refuses to load on sites
          that are not listed.
        </p>
      )}
      {agent.allowedOrigins.length > 0 && (
        <p className="field-hint">Remember to list every site you paste it on in Allowed origins.</p>
      )}
      <p className="field-hint">
        The launcher's colour, corner and label are part of the tag, so your pages load nothing from us until
        a visitor opens the chat. Copy it again after changing them.
      </p>
    </section>
  );
}

/**
 * The real widget, for this agent, in a same-origin page the server serves (GET /console/preview):
 * the server's own origin is always allowed, so no origin needs listing. Same origin is needed for
 * the widget's requests to count as this server's page; scripts and forms are the only other powers.
 */
const lookChanged = (agent: Agent, draft: AgentDraft) =>
  draft.accentColor.toLowerCase() !== agent.accentColor ||
  draft.position !== agent.position ||
  (draft.launcherLabel?.trim() || null) !== agent.launcherLabel;

function WidgetPreview({ agent, draft }: { agent: Agent; draft: AgentDraft }) {
  const [reloads, setReloads] = useState(0);
  // The unsaved look goes to the preview page in its query, a moment after typing stops.
  const look = new URLSearchParams({
    agentKey: agent.publishableKey,
    accent: draft.accentColor,
    position: draft.position,
    label: draft.launcherLabel?.trim() ?? '',
    // While the launcher's look is being edited, show the launcher rather than the open chat.
    ...(lookChanged(agent, draft) ? { closed: '1' } : {}),
  }).toString();
  const [src, setSrc] = useState(`/console/preview?${look}`);
  useEffect(() => {
    const timer = setTimeout(() => setSrc(`/console/preview?${look}`), 400);
    return () => clearTimeout(timer);
  }, [look]);
  return (
    <aside className="agent-preview" aria-label="Live preview">
      <div className="agent-preview-head">
        <h2 className="section-title">Live preview</h2>
        <Button size="sm" variant="ghost" onClick={() => setReloads((n) => n + 1)}>
          <RotateCw aria-hidden="true" />
          Restart
        </Button>
      </div>
      <p className="field-hint">
        The real widget. Its look follows your edits as you type (the chat closes to show the launcher); other
        changes show once saved.
      </p>
      <iframe
        key={`${agent.updatedAt}-${agent.avatarUrl}-${reloads}`}
        className="agent-preview-frame"
        title="Widget preview"
        src={src}
        sandbox="allow-scripts allow-same-origin allow-forms"
        referrerPolicy="same-origin"
      />
    </aside>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="card agent-section" aria-labelledby={id}>
      <h2 id={id} className="section-title">
        {title}
      </h2>
      {children}
    </section>
  );
}

function ListEditor({
  legend,
  hint,
  itemLabel,
  addLabel,
  max,
  maxLength,
  placeholder,
  items,
  onChange,
  errors,
  field,
  inputMode,
}: {
  legend: string;
  hint: string;
  itemLabel: string;
  addLabel: string;
  max: number;
  maxLength: number;
  placeholder: string;
  items: string[];
  onChange: (items: string[]) => void;
  errors: FieldErrors;
  field: string;
  inputMode?: 'url';
}) {
  const hintId = useId();
  return (
    <fieldset className="list-editor" aria-describedby={hintId}>
      <legend className="field-label">{legend}</legend>
      <span id={hintId} className="field-hint">
        {hint}
      </span>
      {errors[field] && <span className="field-error">{errors[field]}</span>}
      {items.length > 0 && (
        <ol className="list-editor-items">
          {items.map((item, i) => {
            const error = errors[`${field}.${i}`];
            const errorId = `${hintId}-${i}-error`;
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions in the list being edited
              <li key={i} className="list-editor-row">
                <div className="list-editor-input">
                  <input
                    className="input"
                    aria-label={`${itemLabel} ${i + 1}`}
                    value={item}
                    maxLength={maxLength}
                    placeholder={placeholder}
                    inputMode={inputMode}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? errorId : undefined}
                    onChange={(e) => onChange(items.map((v, j) => (j === i ? e.target.value : v)))}
                  />
                  {error && (
                    <span id={errorId} className="field-error">
                      {error}
                    </span>
                  )}
                </div>
                <Button
                  variant="ghost"
                  iconOnly
                  aria-label={`Remove ${itemLabel.toLowerCase()} ${i + 1}`}
                  onClick={() => onChange(items.filter((_, j) => j !== i))}
                >
                  <X />
                </Button>
              </li>
            );
          })}
        </ol>
      )}
      {items.length < max && (
        <div>
          <Button size="sm" onClick={() => onChange([...items, ''])}>
            <Plus aria-hidden="true" />
            {addLabel}
          </Button>
        </div>
      )}
    </fieldset>
  );
}

function RadioGroup<T extends string>({
  legend,
  name,
  value,
  onChange,
  options,
  inline = false,
}: {
  legend: string;
  name: string;
  value: T;
  onChange: (value: T) => void;
  options: { value: T; label: string; description?: string }[];
  inline?: boolean;
}) {
  return (
    <fieldset className={inline ? 'radio-group radio-group-inline' : 'radio-group'}>
      <legend className="field-label">{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="check-row radio-card" data-checked={o.value === value || undefined}>
          <input
            type="radio"
            name={name}
            value={o.value}
            checked={o.value === value}
            onChange={() => onChange(o.value)}
          />
          <span>
            <span className="check-label">{o.label}</span>
            {o.description && <span className="field-hint">{o.description}</span>}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
