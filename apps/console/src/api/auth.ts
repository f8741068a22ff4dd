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
