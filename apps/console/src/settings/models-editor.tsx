import type { ProviderModelType } from '@confidant/contract';
import { Plus, Trash2 } from 'lucide-react';
import { useId, useRef, useState } from 'react';
import type { FieldErrors } from '../agents/agent-form-model';
import { Button } from '../ui/button';
import { type ModelRow, modelRow } from './provider-draft';

/**
 * The models an org uses at one provider: rows of a model id and its type. Chat models answer
 * (the first is the one Test connection and the org default use); embedding models are stored,
 * offered only for kinds that have them, and not used yet (knowledge embeds with the operator's
 * CONFIDANT_EMBEDDING_* model) — the hint says so. Transcription and speech models (voice
 * messages, calls, spoken replies) are offered for the kinds that have them (`types`); a kind
 * without chat models (Deepgram) offers no Chat type and starts new rows with its first type.
 */
export function ModelsEditor({
  models,
  onChange,
  errors,
  placeholder,
  hasEmbeddings,
  types = ['chat', 'embedding'],
}: {
  models: ModelRow[];
  onChange: (models: ModelRow[]) => void;
  errors: FieldErrors;
  placeholder: string;
  hasEmbeddings: boolean;
  /** The model types the provider's kind offers (MODEL_TYPES_BY_KIND). */
  types?: readonly ProviderModelType[];
}) {
  const hintId = useId();
  // Focus follows the change: into a row just added, to "Add model" after a removal.
  const [focusKey, setFocusKey] = useState<number | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const update = (index: number, change: Partial<ModelRow>) =>
    onChange(models.map((m, i) => (i === index ? { ...m, ...change } : m)));
  const hasChat = models.some((m) => m.type === 'chat');
  const offersChat = types.includes('chat');
  const offersSpeech = types.includes('transcription') || types.includes('speech');
  // A type shows when the kind offers it, or when a row already has it (so it can be seen and changed).
  const offered = (type: ProviderModelType, m: ModelRow) => types.includes(type) || m.type === type;
  return (
    <fieldset className="models-editor" aria-describedby={hintId}>
      <legend className="field-label">Models</legend>
      <span id={hintId} className="field-hint">
        The model ids exactly as the provider names them. Agents choose among the chat models; the first one
        is what Test connection calls.
        {hasEmbeddings &&
          " Embedding models are kept with the provider but not used yet: knowledge search embeds with the model your server's operator configured."}
      </span>
      {offersSpeech && (
        <span className="field-hint">
          Transcription models turn voice messages and uploaded calls into text; speech models read replies
          aloud.
        </span>
      )}
      {models.length === 0 ? (
        <p className="muted">No models yet.</p>
      ) : (
        <ol className="models-rows">
          {models.map((m, i) => {
            const error = errors[`models.${i}.id`] ?? errors[`models.${i}`];
            const errorId = `${hintId}-${m.key}-error`;
            return (
              <li key={m.key} className="models-row">
                <input
                  ref={(input) => {
                    if (input && m.key === focusKey) {
                      input.focus();
                      setFocusKey(null);
                    }
                  }}
                  className="input"
                  aria-label={`Model ${i + 1} id`}
                  placeholder={placeholder}
                  spellCheck={false}
                  autoComplete="off"
                  maxLength={200}
                  value={m.id}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? errorId : undefined}
                  onChange={(e) => update(i, { id: e.target.value })}
                />
                <select
                  className="select"
                  aria-label={`Model ${i + 1} type`}
                  value={m.type}
                  onChange={(e) => update(i, { type: e.target.value as ModelRow['type'] })}
                >
                  {offered('chat', m) && <option value="chat">Chat</option>}
                  {(hasEmbeddings || m.type === 'embedding') && <option value="embedding">Embedding</option>}
                  {offered('transcription', m) && <option value="transcription">Transcription</option>}
                  {offered('speech', m) && <option value="speech">Speech</option>}
                </select>
                <Button
                  variant="ghost"
                  iconOnly
                  aria-label={`Remove model ${m.id.trim() || i + 1}`}
                  onClick={() => {
                    onChange(models.filter((_, j) => j !== i));
                    addButton.current?.focus();
                  }}
                >
                  <Trash2 aria-hidden="true" />
                </Button>
                {error && (
                  <span id={errorId} className="field-error models-row-error">
                    {error}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {models.length > 0 && !hasChat && offersChat && (
        <p className="field-hint">Without a chat model, agents cannot answer with this provider.</p>
      )}
      {errors.models && <span className="field-error">{errors.models}</span>}
      <div>
        <Button
          ref={addButton}
          size="sm"
          onClick={() => {
            const row = modelRow({ id: '', type: types[0] ?? 'chat' });
            setFocusKey(row.key);
            onChange([...models, row]);
          }}
          disabled={models.length >= 50}
        >
          <Plus aria-hidden="true" />
          Add model
        </Button>
      </div>
    </fieldset>
  );
}
