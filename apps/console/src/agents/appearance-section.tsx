import type { Agent } from '@confidant/contract';
import { contrastRatio, readableTextOn } from '@confidant/contract/contrast';
import { useQueryClient } from '@tanstack/react-query';
import { ImageUp, Trash2 } from 'lucide-react';
import { type ReactNode, useId, useRef, useState } from 'react';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import { queryKeys } from '../api/queries';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { TextField } from '../ui/text-field';
import { useToasts } from '../ui/toasts';
import type { AgentDraft, FieldErrors } from './agent-form-model';

const HEX = /^#[0-9a-fA-F]{6}$/;
const AVATAR_MAX_BYTES = 256 * 1024;

/**
 * The widget's look: accent colour (picker + hex field), corner, launcher label — part of the
 * draft, saved with the form — and the avatar, uploaded and removed at once through its own route
 * (PUT/DELETE /v1/agents/{id}/avatar). The live preview shows the draft as it is typed.
 */
export function AppearanceSection({
  agent,
  orgId,
  draft,
  set,
  errors,
  canEdit,
  radioGroup,
}: {
  agent: Agent;
  orgId: string;
  draft: AgentDraft;
  set: <K extends keyof AgentDraft>(field: K, value: AgentDraft[K]) => void;
  errors: FieldErrors;
  canEdit: boolean;
  radioGroup: ReactNode;
}) {
  const validAccent = HEX.test(draft.accentColor);
  const textOn = validAccent ? readableTextOn(draft.accentColor) : '#ffffff';
  return (
    <>
      <div className="appearance-colour">
        <input
          type="color"
          className="colour-swatch"
          aria-label="Pick accent colour"
          value={validAccent ? draft.accentColor.toLowerCase() : '#0f766e'}
          onChange={(e) => set('accentColor', e.target.value)}
        />
        <TextField
          label="Accent colour"
          hint={
            validAccent
              ? `Launcher, header, send button and the visitor's messages. Text on it is ${
                  textOn === '#ffffff' ? 'white' : 'black'
                } (contrast ${contrastRatio(draft.accentColor, textOn).toFixed(1)}:1).`
              : 'A colour like #0f766e.'
          }
          value={draft.accentColor}
          maxLength={7}
          spellCheck={false}
          onChange={(e) => set('accentColor', e.target.value.trim())}
          error={errors.accentColor}
        />
      </div>
      {radioGroup}
      <TextField
        label="Launcher label"
        hint="Shown beside the chat icon, e.g. “Chat with us”. Leave empty for the icon alone."
        maxLength={40}
        value={draft.launcherLabel ?? ''}
        placeholder="Chat with us"
        onChange={(e) => set('launcherLabel', e.target.value === '' ? null : e.target.value)}
        error={errors.launcherLabel}
      />
      <AvatarField agent={agent} orgId={orgId} canEdit={canEdit} />
    </>
  );
}

function AvatarField({ agent, orgId, canEdit }: { agent: Agent; orgId: string; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const fileInput = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const hintId = useId();

  /** Only the avatar changed: keep the editor (and its unsaved draft) mounted, refresh the preview. */
  const applied = (saved: Agent) =>
    queryClient.setQueryData<Agent>(queryKeys.agent(orgId, agent.id), (current) =>
      current ? { ...current, avatarUrl: saved.avatarUrl } : saved,
    );

  const upload = async (file: File) => {
    setError(null);
    if (file.size > AVATAR_MAX_BYTES) {
      setError('The image is larger than 256 KB. Use a smaller one (it is shown at 36 pixels).');
      return;
    }
    const body = new FormData();
    body.append('file', file);
    setBusy(true);
    try {
      applied(await request<Agent>(`/v1/agents/${agent.id}/avatar`, { method: 'PUT', orgId, body }));
      toasts.show({ tone: 'info', title: 'Avatar updated' });
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  return (
    <div className="field">
      <span className="field-label" id={`${hintId}-label`}>
        Avatar
      </span>
      <div className="avatar-row">
        {agent.avatarUrl ? (
          <img className="avatar-preview" src={agent.avatarUrl} alt="Current avatar" />
        ) : (
          <span className="avatar-preview avatar-placeholder" aria-hidden="true">
            {agent.name.trim().charAt(0).toUpperCase() || '?'}
          </span>
        )}
        {canEdit && (
          <div className="avatar-actions">
            <input
              ref={fileInput}
              type="file"
              accept="image/png,image/jpeg,image/webp"
              className="visually-hidden"
              aria-labelledby={`${hintId}-label`}
              aria-describedby={hintId}
              tabIndex={-1}
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void upload(file);
              }}
            />
            <Button size="sm" disabled={busy} onClick={() => fileInput.current?.click()}>
              <ImageUp aria-hidden="true" />
              {busy ? 'Uploading…' : agent.avatarUrl ? 'Replace avatar' : 'Upload avatar'}
            </Button>
            {agent.avatarUrl && (
              <Button size="sm" variant="ghost" disabled={busy} onClick={() => setRemoving(true)}>
                <Trash2 aria-hidden="true" />
                Remove avatar
              </Button>
            )}
          </div>
        )}
      </div>
      <span id={hintId} className="field-hint">
        Shown in the chat header and beside the assistant's answers. PNG, JPEG or WebP, up to 256 KB; it is
        saved at once.
      </span>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
      <ConfirmDialog
        open={removing}
        onOpenChange={setRemoving}
        title="Remove the avatar?"
        description="The widget shows the agent's initial instead."
        confirmLabel="Remove avatar"
        onConfirm={async () => {
          try {
            applied(await request<Agent>(`/v1/agents/${agent.id}/avatar`, { method: 'DELETE', orgId }));
            toasts.show({ tone: 'info', title: 'Avatar removed' });
          } catch (failure) {
            toasts.showError('Could not remove the avatar', failure);
          }
        }}
      />
    </div>
  );
}
