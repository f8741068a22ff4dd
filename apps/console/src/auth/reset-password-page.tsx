import { Link, useSearch } from '@tanstack/react-router';
import { type FormEvent, useRef, useState } from 'react';
import { ApiError, describeError } from '../api/api-error';
import { resetPassword } from '../api/auth';
import { Button } from '../ui/button';
import { AuthCard, FormError } from './auth-card';
import { focusFirstInvalid, NewPasswordFields, newPasswordProblem } from './new-password-fields';

/**
 * Opened from the reset email (`/console/reset-password?token=…`): a new password and its
 * confirmation. On success every session of the account has ended, so the person signs in anew.
 */
export function ResetPasswordPage() {
  const { token } = useSearch({ from: '/reset-password' });
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setError(null);
    if (newPasswordProblem(password, confirm)) return focusFirstInvalid(form.current);
    setBusy(true);
    setError(null);
    try {
      await resetPassword(token, password);
      setDone(true);
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.problem?.authCode === 'INVALID_TOKEN'
          ? 'This reset link is no longer valid: it was used already or has expired. Ask for a new one.'
          : describeError(failure),
      );
    } finally {
      setBusy(false);
    }
  };

  if (!token)
    return (
      <AuthCard
        title="This link is incomplete"
        lead="Open the link from the reset email again, or ask for a new one."
      >
        <div className="sign-in-form">
          <Link className="sign-in-link" to="/forgot-password">
            Ask for a new link
          </Link>
        </div>
      </AuthCard>
    );

  if (done)
    return (
      <AuthCard title="Your password is changed">
        <div className="sign-in-form">
          <p className="form-success" role="status">
            Your new password is set, and every device that was signed in to this account has been signed out.
          </p>
          <Link className="btn btn-primary btn-block" to="/sign-in">
            Sign in
          </Link>
        </div>
      </AuthCard>
    );

  return (
    <AuthCard title="Choose a new password" lead="After this, sign in with the new password on every device.">
      <form ref={form} className="sign-in-form" onSubmit={submit} noValidate aria-busy={busy}>
        <NewPasswordFields
          label="New password"
          password={password}
          confirm={confirm}
          onPassword={setPassword}
          onConfirm={setConfirm}
          showErrors={submitted}
        />
        <FormError error={error} />
        <Button type="submit" variant="primary" block disabled={busy}>
          Set new password
        </Button>
        {error?.startsWith('This reset link') && (
          <Link className="sign-in-link" to="/forgot-password">
            Ask for a new link
          </Link>
        )}
      </form>
    </AuthCard>
  );
}
