import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { UserX } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { describeError } from '../api/api-error';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { TextField } from '../ui/text-field';
import { useToasts } from '../ui/toasts';
import { deletionApi, formatDay } from './deletion-api';
import './deletion.css';

/**
 * Account → Delete my account: confirmed with the password. Every session ends at once; signing
 * in again within 30 days offers "Restore my account", after that the account is erased.
 */
export function DeleteAccountSection() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toasts = useToasts();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const close = (next: boolean) => {
    setOpen(next);
    if (!next) {
      setPassword('');
      setError(undefined);
    }
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const schedule = await deletionApi.deleteMe(password);
      queryClient.clear();
      toasts.show({
        tone: 'info',
        title: 'Your account is scheduled for deletion',
        detail: `Sign in before ${formatDay(schedule.hardDeleteAfter)} to restore it.`,
      });
      await navigate({ to: '/sign-in' });
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };

  return (
    <section className="account-card danger-zone" aria-labelledby="delete-account-title">
      <div className="account-card-header">
        <div>
          <h2 id="delete-account-title" className="section-title">
            Danger zone
          </h2>
          <p className="muted">
            Signs you out everywhere. Sign in again within 30 days to restore it; after that your account,
            memberships, sessions and two-factor settings are erased. Conversations you answered stay with
            their organization, without your name.
          </p>
        </div>
        <UserX className="danger-zone-icon-inline" aria-hidden="true" />
      </div>
      <div className="account-actions">
        <Button variant="danger" onClick={() => setOpen(true)}>
          Delete my account
        </Button>
      </div>
      <Dialog
        open={open}
        onOpenChange={close}
        title="Delete your account?"
        description="Enter your password to confirm. If you are the last owner of an organization, make someone else an owner or delete the organization first."
      >
        <form className="deletion-form" onSubmit={(e) => void submit(e)}>
          <TextField
            label="Password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={error}
          />
          <div className="dialog-actions">
            <Button type="button" onClick={() => close(false)}>
              Cancel
            </Button>
            <Button type="submit" variant="danger" disabled={!password || busy}>
              Delete my account
            </Button>
          </div>
        </form>
      </Dialog>
    </section>
  );
}
