import type { CreatedInboundHook } from '@confidant/contract';
import { useState } from 'react';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { TextField } from '../ui/text-field';
import { useShownOnce } from '../ui/use-shown-once';
import { SecretShownOnce } from './secret-shown-once';
import { createInboundHook, hookUrl } from './webhooks-api';

/** Creates an inbound hook; then shows the URL to paste and the secret, once. */
export function InboundHookDialog({
  orgId,
  open,
  onOpenChange,
  onCreated,
}: {
  orgId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: () => void;
}) {
  const [name, setName] = useState('');
  const { error, busy, created, submit, reset } = useShownOnce<CreatedInboundHook>(
    () => createInboundHook(orgId, name.trim()),
    onCreated,
  );
  const close = (next: boolean) => {
    if (!next) {
      setName('');
      reset();
    }
    onOpenChange(next);
  };
  if (created)
    return (
      <Dialog open={open} onOpenChange={close} title="Inbound hook created">
        <SecretShownOnce secret={created.secret} url={hookUrl(created)} onDone={() => close(false)} />
      </Dialog>
    );
  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="Create an inbound hook"
      description="A help desk or chat tool posts signed requests to it to reply in a conversation or close it."
    >
      <form className="form-stack" onSubmit={submit} noValidate>
        <TextField
          label="Name"
          hint="What posts to it, e.g. “Help desk”."
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <Button onClick={() => close(false)}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy || !name.trim()}>
            Create hook
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
