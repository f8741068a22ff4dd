import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useRouter, useSearch } from '@tanstack/react-router';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { describeError } from '../api/api-error';
import { signInWithPassword, signUpModeQuery, verifyTotp } from '../api/auth';
import { Button } from '../ui/button';
import { TextField } from '../ui/text-field';
import { AuthCard, FormError } from './auth-card';

type Step = 'password' | 'code';

/**
 * Sign in with email and password; when the account has two-factor on, a second step asks for
 * the authenticator code (Better Auth's two-factor flow: the password step sets a short-lived
 * two-factor cookie, verify-totp turns it into a session). "Forgot password?" leads to the reset
 * by email; "Create an account" shows only where the server allows sign-up.
 */
export function SignInPage() {
  const navigate = useNavigate();
  const router = useRouter();
  const search = useSearch({ from: '/sign-in' });
  const queryClient = useQueryClient();
  const [step, setStep] = useState<Step>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const codeInput = useRef<HTMLInputElement>(null);
  const signUpMode = useQuery(signUpModeQuery);

  useEffect(() => {
    if (step === 'code') codeInput.current?.focus();
  }, [step]);

  const finish = async () => {
    // Nothing cached before sign-in (another person's data, or none) survives it.
    queryClient.removeQueries();
    // `next` is the page that sent the person here, path and query (e.g. an invitation link).
    const next = search.next?.replace(/^\/console(?=\/|$)/, '') || '/';
    if (next === '/' || next.startsWith('/sign-in')) await navigate({ to: '/' });
    else router.history.push(`/console${next}`);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (step === 'password') {
        const result = await signInWithPassword(email.trim(), password);
        if (result.twoFactorRequired) setStep('code');
        else await finish();
      } else {
        await verifyTotp(code.replace(/\s/g, ''));
        await finish();
      }
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard
      title={step === 'password' ? 'Sign in to Confidant' : 'Two-factor authentication'}
      lead={
        step === 'password'
          ? 'Answer your visitors and run your support agent.'
          : 'Enter the 6-digit code from your authenticator app.'
      }
    >
      <form className="sign-in-form" onSubmit={submit} noValidate aria-busy={busy}>
        {step === 'password' ? (
          <>
            <TextField
              label="Email"
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
            <TextField
              label="Password"
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <div className="sign-in-row">
              <Link to="/forgot-password">Forgot password?</Link>
            </div>
          </>
        ) : (
          <TextField
            ref={codeInput}
            label="Authentication code"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]*"
            maxLength={8}
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        )}
        <FormError error={error} />
        <Button type="submit" variant="primary" block disabled={busy}>
          {step === 'password' ? 'Sign in' : 'Verify'}
        </Button>
        {step === 'code' && (
          <Button
            variant="ghost"
            block
            onClick={() => {
              setStep('password');
              setCode('');
              setError(null);
            }}
          >
            Use a different account
          </Button>
        )}
      </form>
      {step === 'password' && signUpMode.data && signUpMode.data !== 'closed' && (
        <p className="sign-in-alt">
          {signUpMode.data === 'first_run' ? 'New server, no account yet? ' : 'New here? '}
          <Link to="/sign-up">Create an account</Link>
        </p>
      )}
    </AuthCard>
  );
}
