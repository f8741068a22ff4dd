import { z } from 'zod';
import type { SubjectKind } from '../../../platform/db/schema/index.js';
import { nonBlank } from '../../../platform/http/schemas.js';
import { normalizeSubjectEmail, phoneDigits } from '../subjects/subject-hash.js';

/**
 * The subject of a data-subject request: exactly one identifier. `userId` is the host site's user
 * id given to Confidant.identify (identified visitors). Console users are not subjects of these
 * requests: their account data goes with account deletion (`DELETE /v1/me`).
 */
export const subjectSchema = z
  .strictObject({
    email: z.email({ message: 'must be an email address' }).max(254).optional(),
    phone: z
      .string()
      .max(40)
      .regex(/^\+?[0-9 ().-]+$/, 'must be a phone number (digits, spaces, + ( ) . -)')
      .refine((p) => phoneDigits(p).length >= 7, 'must have at least 7 digits')
      .optional(),
    userId: nonBlank(200).optional(),
    conversationId: z.uuid({ message: 'must be a UUID' }).optional(),
  })
  .refine((s) => Object.values(s).filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of email, phone, userId or conversationId',
  });
export type SubjectInput = z.infer<typeof subjectSchema>;

export type Subject = { kind: SubjectKind; value: string };

export function subjectOf(input: SubjectInput): Subject {
  if (input.email !== undefined) return { kind: 'email', value: normalizeSubjectEmail(input.email) };
  if (input.phone !== undefined) return { kind: 'phone', value: phoneDigits(input.phone) };
  if (input.userId !== undefined) return { kind: 'userId', value: input.userId };
  return { kind: 'conversationId', value: input.conversationId! };
}

/**
 * What people see of the subject in the console and API: enough to tell requests apart, not
 * enough to contact anyone ("j•••@example.com", "••••••1234", "us•••", a conversation id whole).
 */
export function maskSubject(subject: Subject): string {
  const { kind, value } = subject;
  if (kind === 'email') {
    const at = value.lastIndexOf('@');
    return `${value.slice(0, 1)}•••${value.slice(at)}`;
  }
  if (kind === 'phone') return `•••${value.slice(-2)}`;
  if (kind === 'userId') return `${value.slice(0, 2)}•••`;
  return value;
}
