import { createTransport, type Transporter } from 'nodemailer';
import type { Config } from '../../platform/config.js';
import { DeliveryError, safeErrorCode } from './delivery-error.js';

/**
 * Outgoing email. With CONFIDANT_SMTP_URL set, messages go through nodemailer to that server
 * (the operator's own: the normal network, not the tenant URL guard); without it, nothing leaves
 * the process and delivered rows are the dev outbox (GET /v1/notifications/outbox).
 *
 * The URL may hold credentials: it is handed to nodemailer only, whose own logging is off.
 */
export type OutgoingEmail = { to: string; subject: string; text: string };

export type Mailer =
  | { kind: 'smtp'; send(message: OutgoingEmail): Promise<void>; close(): void }
  | { kind: 'outbox' };

const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

export function createMailer(email: Config['email']): Mailer {
  if (!email.smtpUrl) return { kind: 'outbox' };
  const transport: Transporter = createTransport({ url: email.smtpUrl, ...TIMEOUTS, logger: false });
  return {
    kind: 'smtp',
    async send(message) {
      try {
        await transport.sendMail({
          from: email.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          // RFC 3834: an automatic message; well-behaved auto-responders do not answer it.
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
      } catch (error) {
        throw new DeliveryError(smtpErrorCode(error));
      }
    },
    close: () => transport.close(),
  };
}

/** nodemailer's error code (ECONNECTION, EAUTH, EENVELOPE …) and the SMTP reply code, if any. */
function smtpErrorCode(error: unknown): string {
  const e = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  const code = typeof e.code === 'string' ? e.code : 'ERROR';
  const reply = typeof e.responseCode === 'number' ? `_${e.responseCode}` : '';
  return safeErrorCode(`smtp_${code}${reply}`);
}
