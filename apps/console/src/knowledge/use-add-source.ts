import { type FormEvent, useState } from 'react';
import { request } from '../api/client';
import { describeFailure } from './describe-failure';

/**
 * Submitting one of the "Add …" dialogs: POST the JSON source, then tell the page (which
 * refreshes the list and closes the dialog); a refusal is kept in words for the dialog to show.
 */
export function useAddSource(orgId: string, onAdded: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = (body: () => Record<string, unknown>) => async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await request('/v1/knowledge/sources', { method: 'POST', orgId, body: body() });
      onAdded();
    } catch (failure) {
      setError(describeFailure(failure));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit, reset: () => setError(null) };
}
