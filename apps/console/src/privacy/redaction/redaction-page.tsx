import { useMutation } from '@tanstack/react-query';
import { useRouteContext } from '@tanstack/react-router';
import { EyeOff } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { describeError } from '../../api/api-error';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { EmptyState } from '../../ui/empty-state';
import { TextareaField } from '../../ui/textarea-field';
import { checkRedaction, MAX_REDACT_TEXT, type RedactionResult } from './redaction-api';
import './redaction.css';

const typeLabels: Record<string, string> = {
  PERSON: 'Person name',
  EMAIL: 'Email address',
  PHONE: 'Phone number',
  CARD: 'Payment card',
  IBAN: 'IBAN',
  SSN: 'US Social Security number',
  IP: 'IP address',
  ADDRESS: 'Street address',
  DOB: 'Date of birth',
};

/**
 * Try the redactor that runs before every model call: paste a message, see exactly what the
 * provider would receive and which kinds of personal data were replaced. Nothing is stored.
 */
export function RedactionPage() {
  const { membership } = useRouteContext({ from: '/o/$orgId' });
  const [text, setText] = useState('');
  const [checked, setChecked] = useState<{ text: string; result: RedactionResult } | null>(null);
  const check = useMutation({
    mutationFn: (value: string) => checkRedaction(membership.orgId, value),
    onSuccess: (result, value) => setChecked({ text: value, result }),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) check.mutate(text);
  };

  return (
    <div className="form-stack">
      <header className="privacy-section-header">
        <div>
          <h2 className="privacy-section-title">Redaction</h2>
          <p className="page-lead">
            Before any text reaches a model provider, personal data is replaced with placeholders such as
            [PERSON_1] and put back in the answer. Check what a message would look like.
          </p>
        </div>
      </header>
      <form className="redaction-form" onSubmit={submit}>
        <TextareaField
          label="Text to check"
          hint="Nothing you paste here is stored or logged."
          rows={6}
          maxLength={MAX_REDACT_TEXT}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="Hi, my name is Anna Schmidt. Call me on +49 30 12345678 or refund to DE89 3704 0044 0532 0130 00."
        />
        <div className="redaction-actions">
          <Button type="submit" variant="primary" disabled={!text.trim() || check.isPending}>
            {check.isPending ? 'Checking…' : 'Check'}
          </Button>
        </div>
        {check.isError && (
          <p className="form-error" role="alert">
            {describeError(check.error)}
          </p>
        )}
      </form>
      {checked ? (
        <section className="redaction-result" aria-labelledby="redaction-result-title" aria-live="polite">
          <h3 id="redaction-result-title" className="redaction-result-title">
            What the model provider receives
          </h3>
          <pre className="redaction-output" data-testid="redacted-text">
            {highlight(checked.result.redacted)}
          </pre>
          <h3 className="redaction-result-title">
            {checked.result.entities.length === 0
              ? 'No personal data found'
              : `${checked.result.entities.length} ${checked.result.entities.length === 1 ? 'value' : 'values'} replaced`}
          </h3>
          {checked.result.entities.length > 0 && (
            <ul className="redaction-entities" aria-label="Replaced values">
              {checked.result.entities.map((e) => (
                <li key={`${e.start}-${e.end}`} className="redaction-entity">
                  <Badge tone="accent">{typeLabels[e.type] ?? e.type}</Badge>
                  <span className="redaction-entity-where">
                    characters {e.start + 1}–{e.end}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : (
        <EmptyState icon={<EyeOff />} title="Nothing checked yet">
          <p>Paste a customer message above and choose Check to see which values the redactor replaces.</p>
        </EmptyState>
      )}
    </div>
  );
}

/** Placeholders stand out from the surrounding text. */
function highlight(redacted: string) {
  return redacted.split(/(\[[A-Z]+_\d+\])/).map((part, i) =>
    /^\[[A-Z]+_\d+\]$/.test(part) ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one string never reorder
      <mark key={i} className="redaction-placeholder">
        {part}
      </mark>
    ) : (
      part
    ),
  );
}
