import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { MailCheck } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { describeError } from '../api/api-error';
import { request } from '../api/client';
import { queryKeys } from '../api/queries';
import { EmptyState } from '../ui/empty-state';

/**
 * Opened from an invitation link while signed in (the route sends others to sign in first):
 * accepts the invitation once and opens the organization's inbox.
 */
export function AcceptInvitationPage() {
  const { token } = useSearch({ from: '/accept-invitation' });
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    // Once only (StrictMode runs effects twice in development): the token is single-use.
    if (started.current) return;
    started.current = true;
    request<{ orgId: string }>('/v1/invitations/accept', { method: 'POST', body: { token } })
      .then(async ({ orgId }) => {
        // Dropped, not just invalidated: the org route reads it with ensureQueryData, which keeps stale data.
        queryClient.removeQueries({ queryKey: queryKeys.me });
        await navigate({ to: '/o/$orgId/inbox', params: { orgId }, search: { view: 'waiting' } });
      })
      .catch((failure: unknown) => setError(describeError(failure)));
  }, [token, navigate, queryClient]);

  return (
    <main className="centered-page">
      <EmptyState
        icon={<MailCheck />}
        title={error ? 'This invitation cannot be accepted' : 'Joining the organization…'}
      >
        {error && (
          <>
            <p role="alert">{error}</p>
            <Link to="/">Open the console</Link>
          </>
        )}
      </EmptyState>
    </main>
  );
}
