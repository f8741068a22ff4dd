import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import { Trash2 } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { describeError } from '../api/api-error';
import { queryKeys } from '../api/queries';
import { SettingsCard } from '../settings/settings-card';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { TextField } from '../ui/text-field';
import { deletionApi } from './deletion-api';
import './deletion.css';

/**
 * Settings → Danger zone (owners only): deleting the organization, confirmed by typing its name.
 * The deletion is scheduled, not immediate: the shell then shows the restore banner for 30 days.
 */
export function DeleteOrgSection({ orgId, orgName }: { orgId: string; orgName: string }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const matches = typed.trim() === orgName;

  const close = (next: boolean) => {
    setOpen(next);
    if (!next) {
      setTyped('');
      setError(undefined);
    }
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!matches) return;
    setBusy(true);
    setError(undefined);
    try {
      await deletionApi.deleteOrg(orgId);
      close(false);
      await queryClient.refetchQueries({ queryKey: queryKeys.me });
      await router.invalidate();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <SettingsCard
        icon={<Trash2 aria-hidden="true" />}
        title="Danger zone"
        lead="Irreversible once the recovery window ends."
        className="danger-zone"
      >
        <div className="danger-zone-row">
          <p>
            Deleting {orgName} stops its API keys, widget and console at once. Owners can restore it for 30
            days; after that every conversation, knowledge source, file, member and setting is erased.
          </p>
          <Button variant="danger" onClick={() => setOpen(true)}>
            Delete organization
          </Button>
        </div>
      </SettingsCard>
      <Dialog
        open={open}
        onOpenChange={close}
        title={`Delete ${orgName}?`}
        description="Everything stops now. You can restore the organization for 30 days; then it is erased for good."
      >
        <form className="deletion-form" onSubmit={(e) => void submit(e)}>
          <ul className="deletion-consequences">
            <li>API keys and the website widget are refused at once.</li>
            <li>Members see only this notice and, for owners, “Restore organization”.</li>
            <li>
              After 30 days: conversations, knowledge, files, members, keys and the audit log are erased.
            </li>
          </ul>
          <TextField
            label="Type the organization name to confirm"
            hint={`Type “${orgName}” exactly.`}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            error={error}
          />
          <div className="dialog-actions">
            <Button type="button" onClick={() => close(false)}>
              Cancel
            </Button>
            <Button type="submit" variant="danger" disabled={!matches || busy}>
              Delete organization
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
