import type { CreatedInvitation, Role } from '@confidant/contract';
import { useState } from 'react';
import { request } from '../api/client';
import { Button } from '../ui/button';
import { CopyButton } from '../ui/copy-button';
import { Dialog } from '../ui/dialog';
import { TextField } from '../ui/text-field';
import { useShownOnce } from '../ui/use-shown-once';
import { RoleSelect } from './role-select';

/** Where an invitee accepts (apps/console route /accept-invitation); the token is in the link only. */
export const invitationLink = (token: string) =>
  `${window.location.origin}/console/accept-invitation?token=${encodeURIComponent(token)}`;

/**
 * Invites a person by email with a role. The server emails them the link (or, without an email
 * server, keeps it in the dev outbox); the dialog says so and also shows the one-time link with
 * a copy button, as a fallback, only this once.
 */
export function InviteDialog({
  orgId,
  myRole,
  open,
  onOpenChange,
  onInvited,
}: {
  orgId: string;
  myRole: Role;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onInvited: () => void;
}) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const { error, busy, created, submit, reset } = useShownOnce(
    () =>
      request<CreatedInvitation>('/v1/invitations', {
        method: 'POST',
        orgId,
        body: { email: email.trim(), role },
      }),
    onInvited,
  );

  const close = (next: boolean) => {
    if (!next) {
      setEmail('');
      setRole('agent');
      reset();
    }
    onOpenChange(next);
  };

  if (created)
    return (
      <Dialog open={open} onOpenChange={close} title={`Invitation for ${created.email}`}>
        <div className="form-stack">
          <p className="form-success" role="status">
            {created.emailDelivery === 'smtp'
              ? `We emailed an invitation to ${created.email}.`
              : `The invitation email to ${created.email} is in the dev outbox: no email server is configured.`}{' '}
            The link works once, for 7 days.
          </p>
          <p className="field-hint">
            If it does not arrive, send them this link yourself. It is shown only now.
          </p>
          <TextField
            label="Invitation link"
            value={invitationLink(created.token)}
            readOnly
            className="input mono"
            onFocus={(e) => e.target.select()}
          />
          <div className="dialog-actions">
            <CopyButton text={invitationLink(created.token)} label="Copy link" />
            <Button variant="primary" onClick={() => close(false)}>
              Done
            </Button>
          </div>
        </div>
      </Dialog>
    );

  return (
    <Dialog open={open} onOpenChange={close} title="Invite a member">
      <form className="form-stack" onSubmit={submit} noValidate>
        <TextField
          label="Email"
          type="email"
          autoComplete="off"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <RoleSelect label="Role" value={role} myRole={myRole} onChange={setRole} />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <Button onClick={() => close(false)}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy || !email.trim()}>
            Send invitation
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
