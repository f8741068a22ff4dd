import { useQueryClient } from '@tanstack/react-query';
import { ShieldCheck } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { describeError } from '../api/api-error';
import { disableTwoFactor, enableTwoFactor, verifyTotp } from '../api/auth';
import { queryKeys } from '../api/queries';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { CopyButton } from '../ui/copy-button';
import { TextField } from '../ui/text-field';
import { useToasts } from '../ui/toasts';
import { QrCode } from './qr-code';

type Enrolment = { totpURI: string; backupCodes: string[] };

/**
 * Two-factor: turn on (password → QR code and backup codes shown once → a code from the app
 * confirms) or turn off (password).
 */
export function TwoFactorSection({ enabled }: { enabled: boolean }) {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const [step, setStep] = useState<'idle' | 'password' | 'disable'>('idle');
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const reset = () => {
    setStep('idle');
    setEnrolment(null);
    setPassword('');
    setCode('');
    setError(undefined);
  };
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const start = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      setEnrolment(await enableTwoFactor(password));
      setPassword('');
    });
  };
  const confirm = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await verifyTotp(code.replace(/\s/g, ''));
      await queryClient.invalidateQueries({ queryKey: queryKeys.me });
      reset();
      toasts.show({ tone: 'info', title: 'Two-factor is on' });
    });
  };
  const disable = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await disableTwoFactor(password);
      await queryClient.invalidateQueries({ queryKey: queryKeys.me });
      reset();
      toasts.show({ tone: 'info', title: 'Two-factor is off' });
    });
  };
  const secret = enrolment ? (new URL(enrolment.totpURI).searchParams.get('secret') ?? '') : '';

  return (
    <section className="account-card" aria-labelledby="two-factor-title">
      <div className="account-card-header">
        <div>
          <h2 id="two-factor-title" className="section-title">
            Two-factor authentication
          </h2>
          <p className="muted">A code from an authenticator app is asked for after your password.</p>
        </div>
        {enabled ? (
          <Badge tone="success">
            <ShieldCheck aria-hidden="true" className="account-badge-icon" /> On
          </Badge>
        ) : (
          <Badge>Off</Badge>
        )}
      </div>

      {enabled && step === 'idle' && (
        <div>
          <Button variant="danger" onClick={() => setStep('disable')}>
            Turn off two-factor
          </Button>
        </div>
      )}
      {enabled && step === 'disable' && (
        <form className="account-form" onSubmit={disable}>
          <p>
            Turning two-factor off makes your account easier to take over. Enter your password to confirm.
          </p>
          <TextField
            label="Password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            error={error}
            onChange={(e) => setPassword(e.target.value)}
          />
          <div className="account-actions">
            <Button type="submit" variant="danger" disabled={busy}>
              Turn off two-factor
            </Button>
            <Button onClick={reset}>Cancel</Button>
          </div>
        </form>
      )}

      {!enabled && step === 'idle' && (
        <div>
          <Button variant="primary" onClick={() => setStep('password')}>
            Set up two-factor
          </Button>
        </div>
      )}
      {!enabled && step === 'password' && !enrolment && (
        <form className="account-form" onSubmit={start}>
          <TextField
            label="Password"
            type="password"
            autoComplete="current-password"
            hint="Your password confirms it is you."
            required
            value={password}
            error={error}
            onChange={(e) => setPassword(e.target.value)}
          />
          <div className="account-actions">
            <Button type="submit" variant="primary" disabled={busy}>
              Continue
            </Button>
            <Button onClick={reset}>Cancel</Button>
          </div>
        </form>
      )}
      {!enabled && enrolment && (
        <div className="account-enrol">
          <div className="account-enrol-step">
            <h3 className="account-step-title">1. Scan this QR code with your authenticator app</h3>
            <QrCode text={enrolment.totpURI} label="QR code for your authenticator app" />
            <p className="muted">
              Or enter this key by hand: <span className="mono account-secret">{secret}</span>
            </p>
          </div>
          <div className="account-enrol-step">
            <h3 className="account-step-title">2. Keep these backup codes somewhere safe</h3>
            <p className="muted">Each works once if you lose your phone. They are shown only now.</p>
            <ul className="backup-codes" aria-label="Backup codes">
              {enrolment.backupCodes.map((c) => (
                <li key={c} className="mono">
                  {c}
                </li>
              ))}
            </ul>
            <CopyButton text={enrolment.backupCodes.join('\n')} label="Copy backup codes" />
          </div>
          <form className="account-enrol-step account-form" onSubmit={confirm}>
            <h3 className="account-step-title">3. Enter the code the app shows</h3>
            <TextField
              label="Authentication code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9 ]{6,7}"
              required
              value={code}
              error={error}
              onChange={(e) => setCode(e.target.value)}
            />
            <div className="account-actions">
              <Button type="submit" variant="primary" disabled={busy}>
                Turn on two-factor
              </Button>
              <Button onClick={reset}>Cancel</Button>
            </div>
          </form>
        </div>
      )}
    </section>
  );
}
