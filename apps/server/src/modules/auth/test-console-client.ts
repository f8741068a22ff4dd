import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

/** The console origin tests run under (createTestApp({ env: { PUBLIC_URL: CONSOLE_ORIGIN } })). */
export const CONSOLE_ORIGIN = 'http://console.test';

/**
 * A browser-like client for tests: keeps the cookies the server sets (Set-Cookie, including
 * deletions) and sends them back, with the console's Origin header, on every request — real HTTP
 * through app.inject, no shortcuts into the auth library.
 */
export class ConsoleClient {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly app: FastifyInstance,
    private readonly origin = CONSOLE_ORIGIN,
  ) {}

  async request(opts: InjectOptions): Promise<LightMyRequestResponse> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await this.app.inject({
      ...opts,
      headers: { origin: this.origin, ...(cookie ? { cookie } : {}), ...opts.headers },
    });
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired =
        c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() < Date.now()) || c.value === '';
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  signUp(email: string, password: string, name = 'Test User') {
    return this.request({
      method: 'POST',
      url: '/api/auth/sign-up/email',
      payload: { email, password, name },
    });
  }

  signIn(email: string, password: string) {
    return this.request({ method: 'POST', url: '/api/auth/sign-in/email', payload: { email, password } });
  }

  signOut() {
    return this.request({ method: 'POST', url: '/api/auth/sign-out', payload: {} });
  }

  /** An admin-API call acting in `orgId` (X-Confidant-Org). */
  inOrg(orgId: string | undefined, opts: InjectOptions) {
    return this.request({
      ...opts,
      headers: { ...(orgId ? { 'x-confidant-org': orgId } : {}), ...opts.headers },
    });
  }
}
