import { request } from './client';

/** Better Auth's console endpoints (mounted at /api/auth/* by modules/auth/auth-handler-route.ts). */

export type SignInResult = { twoFactorRequired: boolean };

export async function signInWithPassword(email: string, password: string): Promise<SignInResult> {
  const result = await request<{ twoFactorRedirect?: boolean }>('/api/auth/sign-in/email', {
    method: 'POST',
    body: { email, password },
  });
  return { twoFactorRequired: result?.twoFactorRedirect === true };
}

/** The second step when the account has two-factor on: the code from the authenticator app. */
export function verifyTotp(code: string): Promise<unknown> {
  return request('/api/auth/two-factor/verify-totp', { method: 'POST', body: { code } });
}

export function signOut(): Promise<unknown> {
  return request('/api/auth/sign-out', { method: 'POST', body: {} });
}

/** Two-factor enrolment, step 1 (password): the otpauth:// URI for the QR code and backup codes, shown once. */
export function enableTwoFactor(password: string): Promise<{ totpURI: string; backupCodes: string[] }> {
  return request('/api/auth/two-factor/enable', { method: 'POST', body: { password } });
}

export function disableTwoFactor(password: string): Promise<unknown> {
  return request('/api/auth/two-factor/disable', { method: 'POST', body: { password } });
}

/** One of the person's sessions (Better Auth's list-sessions). */
export type AuthSession = {
  id: string;
  token: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  ipAddress?: string | null;
  userAgent?: string | null;
};

export const listSessions = (signal?: AbortSignal) =>
  request<AuthSession[]>('/api/auth/list-sessions', signal ? { signal } : {});

export const currentSession = (signal?: AbortSignal) =>
  request<{ session: { id: string } } | null>('/api/auth/get-session', signal ? { signal } : {});

export function revokeSession(token: string): Promise<unknown> {
  return request('/api/auth/revoke-session', { method: 'POST', body: { token } });
}

/**
 * Asks for a password reset link by email. The server answers the same whether or not the
 * account exists; the link opens /console/reset-password (modules/auth/password-reset-email.ts).
 */
export function requestPasswordReset(email: string): Promise<unknown> {
  return request('/api/auth/request-password-reset', { method: 'POST', body: { email } });
}

/** Sets a new password with the token from the emailed link; every session of the account ends. */
export function resetPassword(token: string, newPassword: string): Promise<unknown> {
  return request('/api/auth/reset-password', { method: 'POST', body: { token, newPassword } });
}

/** Whether this server lets people create an account (modules/auth/sign-up-policy.ts). */
export type SignUpMode = 'open' | 'first_run' | 'closed';

export const signUpModeQuery = {
  queryKey: ['sign-up-mode'] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    request<{ mode: SignUpMode }>('/v1/auth/sign-up', { signal }).then((r) => r.mode),
  staleTime: 30_000,
};

/**
 * Creates an account and signs it in. `organizationName` creates that organization with the
 * person as owner (first run, or an open server); `invitationToken` is the invitation the
 * account is created for (accepted at once).
 */
export function signUp(input: {
  name: string;
  email: string;
  password: string;
  organizationName?: string;
  invitationToken?: string;
}): Promise<unknown> {
  return request('/api/auth/sign-up/email', { method: 'POST', body: input });
}

export type InvitationPreview = {
  email: string;
  orgName: string;
  role: 'owner' | 'admin' | 'agent' | 'viewer';
  expiresAt: string;
  accountExists: boolean;
};

export const previewInvitation = (token: string) =>
  request<InvitationPreview>('/v1/invitations/preview', { method: 'POST', body: { token } });
