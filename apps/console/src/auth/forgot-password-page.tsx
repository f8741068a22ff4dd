import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { describeError } from '../api/api-error';
import { requestPasswordReset } from '../api/auth';
import { Button } from '../ui/button';
import { TextField } from '../ui/text-field';
import { AuthCard, FormError } from './auth-card';

/**
 * "Forgot password?": asks for the account's email and sends a reset link. The answer is the
 * same whether or not an account has that email (the server's is too), so the page never tells
 * a stranger who has an account here.
 */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const address = email.trim();
    if (!address) return setError('Enter the email address of your account.');
    setBusy(true);
    setError(null);
    try {
      await requestPasswordReset(address);
      setSentTo(address);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  if (sentTo)
    return (
      <AuthCard title="Check your email">
        <div className="sign-in-form">
          <p className="form-success" role="status">
            If an account exists for <strong>{sentTo}</strong>, we sent it a link to choose a new password.
            The link works once, for one hour.
          </p>
          <p className="sign-in-lead">
            No email after a few minutes? Check your spam folder, or ask the person who runs this server:
            without an email server configured, reset emails are kept where only they can read them.
          </p>
          <Link className="sign-in-link" to="/sign-in">
            Back to sign in
          </Link>
        </div>
      </AuthCard>
    );

  return (
    <AuthCard
      title="Reset your password"
      lead="Enter your account’s email and we’ll send you a link to choose a new password."
    >
      <form className="sign-in-form" onSubmit={submit} noValidate aria-busy={busy}>
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <FormError error={error} />
        <Button type="submit" variant="primary" block disabled={busy}>
          Send reset link
        </Button>
        <Link className="sign-in-link" to="/sign-in">
          Back to sign in
        </Link>
      </form>
    </AuthCard>
  );
}
