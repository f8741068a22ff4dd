import type { CreatedApiKey, Role } from '@confidant/contract';
import { useId, useState } from 'react';
import { request } from '../api/client';
import { roleAtMost } from '../shell/roles';
import { Button } from '../ui/button';
import { CopyButton } from '../ui/copy-button';
import { Dialog } from '../ui/dialog';
import { TextField } from '../ui/text-field';
import { useShownOnce } from '../ui/use-shown-once';

const roles: Role[] = ['viewer', 'agent', 'admin', 'owner'];

/**
 * Creates a key and shows its secret once, with a copy button; the server keeps only a hash,
 * so closing the dialog forgets it for good. Nobody can create a key above their own role.
 */
export function CreateKeyDialog({
  orgId,
  myRole,
  open,
  onOpenChange,
  onCreated,
}: {
  orgId: string;
  myRole: Role;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: () => void;
}) {
  const roleId = useId();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('admin');
  const { error, busy, created, submit, reset } = useShownOnce(
    () =>
      request<CreatedApiKey>('/v1/api-keys', {
        method: 'POST',
        orgId,
        body: { name: name.trim(), role },
      }),
    onCreated,
  );
  const allowedRoles = roles.filter((r) => roleAtMost(r, myRole));

  const close = (next: boolean) => {
    if (!next) {
      setName('');
      setRole('admin');
      reset();
    }
    onOpenChange(next);
  };

  if (created)
    return (
      <Dialog open={open} onOpenChange={close} title="Your new API key">
        <div className="form-stack">
          <p className="notice" role="status">
            Copy the key now: it is shown only once. Keep it secret, like a password.
          </p>
          <TextField
            label="API key"
            value={created.key}
            readOnly
            className="input mono"
            onFocus={(e) => e.target.select()}
          />
          <div className="dialog-actions">
            <CopyButton text={created.key} label="Copy key" />
            <Button variant="primary" onClick={() => close(false)}>
              Done
            </Button>
          </div>
        </div>
      </Dialog>
    );

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="Create an API key"
      description="Scripts and integrations use API keys to call the REST API."
    >
      <form className="form-stack" onSubmit={submit} noValidate>
        <TextField
          label="Name"
          hint="What uses this key, e.g. “CRM sync”."
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <div className="field">
          <label className="field-label" htmlFor={roleId}>
            Role
          </label>
          <select
            id={roleId}
            className="select"
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
          >
            {allowedRoles.map((r) => (
              <option key={r} value={r}>
                {r[0]!.toUpperCase() + r.slice(1)}
              </option>
            ))}
          </select>
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <Button onClick={() => close(false)}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy || !name.trim()}>
            Create key
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
