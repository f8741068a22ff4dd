import { type ChangeEvent, type FormEvent, useState } from 'react';
import { request } from '../api/client';
import { describeFailure } from './describe-failure';

/**
 * The scaffolding the "Add …" dialogs share: the form's text fields, emptied (with any error)
 * whenever the dialog closes; submitting POSTs the JSON source, tells the page what was added
 * (it refreshes the list) and closes; a refusal is kept in words for the dialog to show.
 */
export function useAddSource<Values extends Record<string, string>>({
  orgId,
  empty,
  onOpenChange,
  onAdded,
  body,
  title,
}: {
  orgId: string;
  /** The fields as a new dialog shows them. */
  empty: Values;
  onOpenChange: (open: boolean) => void;
  onAdded: (title: string) => void;
  /** The POST /v1/knowledge/sources body for these values. */
  body: (values: Values) => Record<string, unknown>;
  /** What the page calls the new source (its toast). */
  title: (values: Values) => string;
}) {
  const [values, setValues] = useState<Values>(empty);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  /** The dialog's onOpenChange: closing forgets what was typed. */
  const close = (next: boolean) => {
    if (!next) {
      setValues(empty);
      setError(null);
    }
    onOpenChange(next);
  };

  /** `value` and `onChange` for the input or textarea of one field. */
  const field = (name: keyof Values) => ({
    value: values[name],
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      const value = event.target.value;
      setValues((current) => ({ ...current, [name]: value }));
    },
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await request('/v1/knowledge/sources', { method: 'POST', orgId, body: body(values) });
      onAdded(title(values));
      close(false);
    } catch (failure) {
      setError(describeFailure(failure));
    } finally {
      setBusy(false);
    }
  };

  return { values, field, close, submit, busy, error };
}
