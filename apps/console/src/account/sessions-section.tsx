import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { describeError } from '../api/api-error';
import { currentSession, listSessions, revokeSession, signOut } from '../api/auth';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { Skeleton } from '../ui/skeleton';
import { useToasts } from '../ui/toasts';
import { describeDevice, formatTime } from './describe-session';

const sessionsKey = ['account', 'sessions'] as const;

/** The person's sessions, this device first; "Sign out" ends one (this one: back to sign-in). */
export function SessionsSection() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toasts = useToasts();
  const sessions = useQuery({
    queryKey: sessionsKey,
    queryFn: async ({ signal }) => {
      const [list, current] = await Promise.all([listSessions(signal), currentSession(signal)]);
      const currentId = current?.session.id;
      return list
        .map((s) => ({ ...s, current: s.id === currentId }))
        .sort((a, b) => Number(b.current) - Number(a.current) || b.updatedAt.localeCompare(a.updatedAt));
    },
  });

  const end = async (session: { token: string; current: boolean }) => {
    try {
      if (session.current) {
        await signOut();
        queryClient.clear();
        await navigate({ to: '/sign-in' });
        return;
      }
      await revokeSession(session.token);
      toasts.show({ tone: 'info', title: 'Session signed out' });
      await queryClient.invalidateQueries({ queryKey: sessionsKey });
    } catch (error) {
      toasts.showError('Could not sign out the session', error);
    }
  };

  return (
    <section className="account-card" aria-labelledby="sessions-title">
      <div>
        <h2 id="sessions-title" className="section-title">
          Sessions
        </h2>
        <p className="muted">Where you are signed in. Sign out any session you do not recognise.</p>
      </div>
      {sessions.isPending ? (
        <div className="form-stack" aria-busy="true">
          <Skeleton height="2.5rem" />
          <Skeleton height="2.5rem" />
        </div>
      ) : sessions.isError ? (
        <p className="field-error" role="alert">
          Could not load your sessions: {describeError(sessions.error)}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Signed in</th>
                <th scope="col">Last active</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.data.map((s) => {
                const device = describeDevice(s.userAgent);
                return (
                  <tr key={s.id}>
                    <td>
                      {device} {s.current && <Badge tone="accent">This device</Badge>}
                    </td>
                    <td>{formatTime(s.createdAt)}</td>
                    <td>{formatTime(s.updatedAt)}</td>
                    <td className="table-actions">
                      <Button
                        size="sm"
                        aria-label={
                          s.current
                            ? 'Sign out this device'
                            : `Sign out ${device}, signed in ${formatTime(s.createdAt)}`
                        }
                        onClick={() => end(s)}
                      >
                        Sign out
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
