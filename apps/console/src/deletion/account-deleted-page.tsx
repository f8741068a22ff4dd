import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { describeError } from '../api/api-error';
import { meQuery, queryKeys } from '../api/queries';
import { SignOutButton } from '../shell/sign-out-button';
import { Button } from '../ui/button';
import { Skeleton } from '../ui/skeleton';
import { deletionApi, formatDay } from './deletion-api';
import './deletion.css';

/**
 * Where a person whose account is scheduled for deletion lands after signing in: the server
 * refuses everything else of theirs until they restore it (or the window ends).
 */
export function AccountDeletedPage() {
  const me = useQuery(meQuery);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const restore = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await deletionApi.restoreMe();
      await queryClient.refetchQueries({ queryKey: queryKeys.me });
      await navigate({ to: '/' });
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };
  return (
    <main className="centered-page">
      <section className="account-deleted" aria-labelledby="account-deleted-title">
        {me.data ? (
          <>
            <h1 id="account-deleted-title">Your account is scheduled for deletion</h1>
            <p>
              On {formatDay(me.data.hardDeleteAfter)} the account of {me.data.email}, its memberships and
              sign-in settings are erased. Until then you can restore it and carry on as before.
            </p>
            {error && (
              <p className="field-error" role="alert">
                {error}
              </p>
            )}
            <div className="account-actions">
              <Button variant="primary" disabled={busy} onClick={() => void restore()}>
                Restore my account
              </Button>
              <SignOutButton />
            </div>
          </>
        ) : (
          <Skeleton height="8rem" />
        )}
      </section>
    </main>
  );
}
