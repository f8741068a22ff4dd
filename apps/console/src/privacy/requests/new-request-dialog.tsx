import type { PrivacyRequestType, PrivacySubjectKind } from '@confidant/contract';
import { useId, useState } from 'react';
import { describeError } from '../../api/api-error';
import { Button } from '../../ui/button';
import { Dialog } from '../../ui/dialog';
import { TextField } from '../../ui/text-field';
import { subjectKindLabels } from './describe-request';
import { startPrivacyRequest } from './privacy-requests-api';

const kinds = Object.keys(subjectKindLabels) as PrivacySubjectKind[];
const placeholders: Record<PrivacySubjectKind, string> = {
  email: 'name@example.com',
  phone: '+1 555 010 1234',
  userId: 'The id your site passes to Confidant.identify',
  conversationId: '00000000-0000-0000-0000-000000000000',
};

/**
 * Starts an export or an erasure for one person. An erasure asks a second time, in words that
 * say it cannot be undone, before anything is sent.
 */
export function NewRequestDialog({
  orgId,
  open,
  onOpenChange,
  onStarted,
}: {
  orgId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onStarted: (type: PrivacyRequestType) => void;
}) {
  const kindId = useId();
  const noteId = useId();
  const [type, setType] = useState<PrivacyRequestType>('export');
  const [kind, setKind] = useState<PrivacySubjectKind>('email');
  const [value, setValue] = useState('');
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const close = (next: boolean) => {
    if (!next) {
      setType('export');
      setKind('email');
      setValue('');
      setNote('');
      setConfirming(false);
      setError(null);
    }
    onOpenChange(next);
  };

  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      await startPrivacyRequest(orgId, {
        type,
        subject: { [kind]: value.trim() },
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      onStarted(type);
      close(false);
    } catch (e) {
      setConfirming(false);
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  if (confirming)
    return (
      <Dialog
        open={open}
        onOpenChange={close}
        title="Erase this person’s data?"
        description={`Every conversation, message, contact detail and identity linked to ${subjectKindLabels[kind].toLowerCase()} “${value.trim()}” will be permanently deleted from every store. This cannot be undone.`}
      >
        <div className="dialog-actions">
          <Button onClick={() => setConfirming(false)}>Back</Button>
          <Button variant="danger" disabled={busy} onClick={() => void send()}>
            Erase permanently
          </Button>
        </div>
      </Dialog>
    );

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="New privacy request"
      description="Export or erase everything stored about one person. Requests are due within 30 days."
    >
      <form
        className="form-stack"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (type === 'erasure') setConfirming(true);
          else void send();
        }}
      >
        <fieldset className="request-type">
          <legend className="field-label">Request</legend>
          <label className="request-type-option">
            <input type="radio" name="type" checked={type === 'export'} onChange={() => setType('export')} />
            <span>
              <strong>Export</strong>
              <span className="field-hint">A zip with their data as JSON and CSV</span>
            </span>
          </label>
          <label className="request-type-option">
            <input
              type="radio"
              name="type"
              checked={type === 'erasure'}
              onChange={() => setType('erasure')}
            />
            <span>
              <strong>Erasure</strong>
              <span className="field-hint">Delete their data everywhere, for good</span>
            </span>
          </label>
        </fieldset>
        <div className="field">
          <label className="field-label" htmlFor={kindId}>
            Identify the person by
          </label>
          <select
            id={kindId}
            className="select"
            value={kind}
            onChange={(e) => setKind(e.target.value as PrivacySubjectKind)}
          >
            {kinds.map((k) => (
              <option key={k} value={k}>
                {subjectKindLabels[k]}
              </option>
            ))}
          </select>
        </div>
        <TextField
          label={subjectKindLabels[kind]}
          required
          autoComplete="off"
          maxLength={254}
          placeholder={placeholders[kind]}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          hint="Used to find their data, then kept only as a keyed hash."
        />
        <div className="field">
          <label className="field-label" htmlFor={noteId}>
            Note (optional)
          </label>
          <textarea
            id={noteId}
            className="textarea"
            rows={2}
            maxLength={500}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder="e.g. ticket number of the request"
          />
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <Button onClick={() => close(false)}>Cancel</Button>
          <Button
            type="submit"
            variant={type === 'erasure' ? 'danger' : 'primary'}
            disabled={busy || !value.trim()}
          >
            {type === 'erasure' ? 'Continue to erasure' : 'Start export'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
