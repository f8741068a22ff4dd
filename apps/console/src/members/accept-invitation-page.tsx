import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { MailCheck } from 'lucide-react';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { describeError, isUnauthenticated } from '../api/api-error';
import { type InvitationPreview, previewInvitation, signUp } from '../api/auth';
import { request } from '../api/client';
import { meQuery, queryKeys } from '../api/queries';
import { AuthCard, FormError } from '../auth/auth-card';
import { focusFirstInvalid, NewPasswordFields, newPasswordProblem } from '../auth/new-password-fields';
import { Button } from '../ui/button';
import { EmptyState } from '../ui/empty-state';
import { Skeleton } from '../ui/skeleton';
import { TextField } from '../ui/text-field';

const roleWords: Record<InvitationPreview['role'], string> = {
  owner: 'Owner',
  admin: 'Admin',
  agent: 'Agent',
  viewer: 'Viewer',
};

/**
 * The link an invitation email carries (`/console/accept-invitation?token=…`).
 * - Signed in: accepts the invitation once and opens the organization's inbox.
 * - Signed out, the invited email has an account: what the invitation is for, and "Sign in to
 *   accept" (the sign-in page comes back here).
 * - Signed out, no account yet: creates the account for the invited email right here; the
 *   server accepts the invitation with it (sign-up is allowed only with a valid invitation).
 */
export function AcceptInvitationPage() {
  const { token } = useSearch({ from: '/accept-invitation' });
  const me = useQuery({ ...meQuery, retry: false });
  const signedOut = me.isError && isUnauthenticated(me.error);
  const preview = useQuery({
    queryKey: ['invitation-preview', token],
    queryFn: () => previewInvitation(token),
    enabled: signedOut && token !== '',
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });

  if (me.data) return <AcceptAsSignedIn token={token} />;
  if (me.isError && !signedOut) return <Unavailable error={describeError(me.error)} />;
  if (signedOut && token === '')
    return <Unavailable error="This invitation link is incomplete: open the link from the email again." />;
  if (preview.isError) return <Unavailable error={describeError(preview.error)} />;
  if (!preview.data)
    return (
      <AuthCard title="Opening your invitation…">
        <div className="sign-in-form" aria-busy="true">
          <Skeleton height="5rem" />
          <Skeleton height="2.5rem" />
        </div>
      </AuthCard>
    );
  return preview.data.accountExists ? (
    <SignInToAccept invitation={preview.data} token={token} />
  ) : (
    <CreateAccountToAccept invitation={preview.data} token={token} />
  );
}

function Summary({ invitation, showEmail = false }: { invitation: InvitationPreview; showEmail?: boolean }) {
  return (
    <dl className="invitation-summary">
      <div>
        <dt>Organization</dt>
        <dd>{invitation.orgName}</dd>
      </div>
      <div>
        <dt>Role</dt>
        <dd>{roleWords[invitation.role]}</dd>
      </div>
      {showEmail && (
        <div>
          <dt>Invited email</dt>
          <dd>{invitation.email}</dd>
        </div>
      )}
      <div>
        <dt>Expires</dt>
        <dd>{new Date(invitation.expiresAt).toLocaleDateString(undefined, { dateStyle: 'medium' })}</dd>
      </div>
    </dl>
  );
}

function SignInToAccept({ invitation, token }: { invitation: InvitationPreview; token: string }) {
  return (
    <AuthCard title={`Join ${invitation.orgName}`} lead="You already have an account: sign in to accept.">
      <Summary invitation={invitation} showEmail />
      <div className="sign-in-form">
        <Link
          className="btn btn-primary btn-block"
          to="/sign-in"
          search={{ next: `/accept-invitation?token=${encodeURIComponent(token)}` }}
        >
          Sign in to accept
        </Link>
      </div>
    </AuthCard>
  );
}

function CreateAccountToAccept({ invitation, token }: { invitation: InvitationPreview; token: string }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setError(null);
    if (!name.trim() || newPasswordProblem(password, confirm)) return focusFirstInvalid(form.current);
    setBusy(true);
    setError(null);
    try {
      await signUp({ name: name.trim(), email: invitation.email, password, invitationToken: token });
      // Signed in now, and a member: the home route opens the organization's inbox.
      queryClient.removeQueries();
      await navigate({ to: '/' });
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };

  return (
    <AuthCard
      title={`Join ${invitation.orgName}`}
      lead="Create your Confidant account to accept the invitation."
    >
      <Summary invitation={invitation} />
      <form ref={form} className="sign-in-form" onSubmit={submit} noValidate aria-busy={busy}>
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          value={invitation.email}
          readOnly
        />
        <TextField
          label="Your name"
          name="name"
          autoComplete="name"
          required
          error={submitted && !name.trim() ? 'Enter your name.' : undefined}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <NewPasswordFields
          label="Password"
          password={password}
          confirm={confirm}
          onPassword={setPassword}
          onConfirm={setConfirm}
          showErrors={submitted}
        />
        <FormError error={error} />
        <Button type="submit" variant="primary" block disabled={busy}>
          Create account and join
        </Button>
      </form>
      <p className="sign-in-alt">
        Have an account under another email? Ask for an invitation to that address.
      </p>
    </AuthCard>
  );
}

function AcceptAsSignedIn({ token }: { token: string }) {
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

  if (error) return <Unavailable error={error} />;
  return (
    <main className="centered-page">
      <EmptyState icon={<MailCheck />} title="Joining the organization…" />
    </main>
  );
}

function Unavailable({ error }: { error: string }) {
  return (
    <main className="centered-page">
      <EmptyState icon={<MailCheck />} title="This invitation cannot be accepted">
        <p role="alert">{error}</p>
        <Link to="/">Open the console</Link>
      </EmptyState>
    </main>
  );
}
