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
