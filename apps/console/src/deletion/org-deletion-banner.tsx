import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import { TriangleAlert } from 'lucide-react';
import { useState } from 'react';
import { queryKeys } from '../api/queries';
import { Button } from '../ui/button';
import { useToasts } from '../ui/toasts';
import { deletionApi, formatDay } from './deletion-api';
import './deletion.css';

/**
 * Shown instead of the page while the organization is scheduled for deletion: the server refuses
 * everything else for it (org_deleted), so the console says why and, to owners, offers the way back.
 */
export function OrgDeletionBanner({
  orgId,
  orgName,
  hardDeleteAfter,
  isOwner,
}: {
  orgId: string;
  orgName: string;
  hardDeleteAfter: string | undefined;
  isOwner: boolean;
}) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const toasts = useToasts();
  const [busy, setBusy] = useState(false);
  const restore = async () => {
    setBusy(true);
    try {
      await deletionApi.restoreOrg(orgId);
      await queryClient.refetchQueries({ queryKey: queryKeys.me });
      await router.invalidate();
      toasts.show({ tone: 'info', title: `${orgName} is restored` });
    } catch (error) {
      toasts.showError('Could not restore the organization', error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="deletion-banner" aria-labelledby="org-deletion-title">
      <span className="deletion-banner-icon" aria-hidden="true">
        <TriangleAlert />
      </span>
      <div className="deletion-banner-text">
        <h1 id="org-deletion-title" className="deletion-banner-title">
          {orgName} is scheduled for deletion on {formatDay(hardDeleteAfter)}
        </h1>
        <p>
          Its API keys, widget and console are stopped. On that day every conversation, knowledge source, file
          and setting of the organization is erased for good.{' '}
          {isOwner
            ? 'Until then you can restore it, and everything works again as before.'
            : 'Until then an owner can restore it.'}
        </p>
      </div>
      {isOwner && (
        <Button variant="primary" disabled={busy} onClick={() => void restore()}>
          Restore organization
        </Button>
      )}
    </section>
  );
}
