import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useRef, useState } from 'react';
import { describeError } from '../api/api-error';
import { signUp, signUpModeQuery } from '../api/auth';
import { Button } from '../ui/button';
import { Skeleton } from '../ui/skeleton';
import { TextField } from '../ui/text-field';
import { AuthCard, FormError } from './auth-card';
import { focusFirstInvalid, NewPasswordFields, newPasswordProblem } from './new-password-fields';

/**
 * Creates an account with its own organization (the person becomes its owner) — offered only
 * where the server allows it: on first run (no account exists yet) or with
 * CONFIDANT_ALLOW_SIGNUP=true. Anyone else joins through an invitation link.
 */
export function SignUpPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const mode = useQuery(signUpModeQuery);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [organizationName, setOrganizationName] = useState('');
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
    if (!name.trim() || !email.trim() || !organizationName.trim() || newPasswordProblem(password, confirm))
      return focusFirstInvalid(form.current);
    setBusy(true);
    setError(null);
    try {
      await signUp({
        name: name.trim(),
        email: email.trim(),
        password,
        organizationName: organizationName.trim(),
      });
      queryClient.removeQueries();
      await navigate({ to: '/' });
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };

  if (mode.isPending)
    return (
      <AuthCard title="Create your account">
        <div className="sign-in-form" aria-busy="true">
          <Skeleton height="2.5rem" />
          <Skeleton height="2.5rem" />
          <Skeleton height="2.5rem" />
        </div>
      </AuthCard>
    );

  if (mode.data === 'closed' || mode.isError)
    return (
      <AuthCard
        title="Sign-up is closed"
        lead="This server creates accounts by invitation only. Ask an owner or admin of your organization to invite you, then open the link in the invitation email."
      >
        <div className="sign-in-form">
          <Link className="btn btn-primary btn-block" to="/sign-in">
            Back to sign in
          </Link>
        </div>
      </AuthCard>
    );

  return (
    <AuthCard
      title={mode.data === 'first_run' ? 'Set up Confidant' : 'Create your account'}
      lead={
        mode.data === 'first_run'
          ? 'No account exists on this server yet: yours will own your organization. You can invite your team next.'
          : 'You will own a new organization and can invite your team next.'
      }
    >
      <form ref={form} className="sign-in-form" onSubmit={submit} noValidate aria-busy={busy}>
        <TextField
          label="Your name"
          name="name"
          autoComplete="name"
          required
          error={submitted && !name.trim() ? 'Enter your name.' : undefined}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          required
          error={submitted && !email.trim() ? 'Enter your email address.' : undefined}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <TextField
          label="Organization"
          name="organization"
          autoComplete="organization"
          required
          maxLength={200}
          hint="Your company or team, as your operators will see it."
          error={submitted && !organizationName.trim() ? 'Name your organization.' : undefined}
          value={organizationName}
          onChange={(e) => setOrganizationName(e.target.value)}
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
          Create account
        </Button>
      </form>
      <p className="sign-in-alt">
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </AuthCard>
  );
}
