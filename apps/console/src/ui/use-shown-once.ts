import { type FormEvent, useState } from 'react';
import { describeError } from '../api/api-error';

/**
 * The state of a form that creates something the server shows only once (a new API key, an
 * invitation link): submitting, the error in words, and what was created — kept only in this
 * component, so closing the dialog (reset) forgets it for good.
 */
export function useShownOnce<T>(create: () => Promise<T>, onCreated: () => void) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<T | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setCreated(await create());
      onCreated();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const reset = () => {
    setError(null);
    setCreated(null);
  };

  return { error, busy, created, submit, reset };
}
