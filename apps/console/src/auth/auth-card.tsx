import type { ReactNode } from 'react';
import { Logo } from '../shell/logo';

/**
 * The centred card every signed-out page uses (sign in, forgot and reset password, sign up,
 * accept an invitation): logo, one heading, a lead sentence, the form.
 */
export function AuthCard({
  title,
  lead,
  children,
}: {
  title: string;
  lead?: ReactNode;
  children: ReactNode;
}) {
  return (
    <main className="sign-in">
      <div className="sign-in-card">
        <Logo />
        <h1 className="sign-in-title">{title}</h1>
        {lead && <p className="sign-in-lead">{lead}</p>}
        {children}
      </div>
      <p className="sign-in-footer">Privacy-first customer support · self-hosted</p>
    </main>
  );
}

/** An error from the server, announced. */
export function FormError({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert">
      {error}
    </p>
  );
}
