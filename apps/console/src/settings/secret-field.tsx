import { useId } from 'react';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { TextField } from '../ui/text-field';

/** What to do with a write-only secret on save: keep the stored one, replace it, or clear it. */
export type SecretChange = { mode: 'keep' } | { mode: 'replace'; value: string } | { mode: 'clear' };

/**
 * A write-only secret (an API key, a webhook URL): the server never sends it back, so the field
 * only says whether one is set, and offers to replace or clear it. Nothing typed is ever shown
 * again after saving.
 */
export function SecretField({
  label,
  isSet,
  change,
  onChange,
  hint,
  error,
  placeholder,
  type = 'password',
  noun,
}: {
  /** "key", "webhook": names the buttons (Replace key, Clear key) and the status. */
  noun: string;
  label: string;
  isSet: boolean;
  change: SecretChange;
  onChange: (change: SecretChange) => void;
  hint: string;
  error?: string | undefined;
  placeholder?: string;
  type?: 'password' | 'url';
}) {
  const statusId = useId();
  if (!isSet || change.mode === 'replace')
    return (
      <div className="secret-field">
        <TextField
          label={label}
          type={type}
          autoComplete="off"
          spellCheck={false}
          placeholder={placeholder}
          hint={isSet ? `${hint} Leave empty to keep the current one.` : hint}
          value={change.mode === 'replace' ? change.value : ''}
          onChange={(e) =>
            onChange(e.target.value || isSet ? { mode: 'replace', value: e.target.value } : { mode: 'keep' })
          }
          error={error}
        />
        {isSet && (
          <div>
            <Button size="sm" variant="ghost" onClick={() => onChange({ mode: 'keep' })}>
              Keep the current one
            </Button>
          </div>
        )}
      </div>
    );
  return (
    <fieldset className="field secret-set" aria-describedby={`${statusId}-hint`}>
      <legend className="field-label">{label}</legend>
      <div className="secret-status">
        {change.mode === 'clear' ? (
          <Badge tone="warning">Will be removed when you save</Badge>
        ) : (
          <Badge tone="success">{`A ${noun} is set`}</Badge>
        )}
        <Button size="sm" onClick={() => onChange({ mode: 'replace', value: '' })}>
          Replace {noun}
        </Button>
        {change.mode === 'clear' ? (
          <Button size="sm" variant="ghost" onClick={() => onChange({ mode: 'keep' })}>
            Undo
          </Button>
        ) : (
          <Button size="sm" variant="ghost" onClick={() => onChange({ mode: 'clear' })}>
            Clear {noun}
          </Button>
        )}
      </div>
      <span id={`${statusId}-hint`} className="field-hint">
        It is stored encrypted and never shown again.
      </span>
      {error && <span className="field-error">{error}</span>}
    </fieldset>
  );
}

/** The PUT field for a secret change: omitted (keep), the new value, or null (clear). */
export const secretPayload = (change: SecretChange): { value?: string | null } =>
  change.mode === 'replace' && change.value
    ? { value: change.value }
    : change.mode === 'clear'
      ? { value: null }
      : {};
