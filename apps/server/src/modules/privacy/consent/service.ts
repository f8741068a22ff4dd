import { createHash, randomUUID } from 'node:crypto';
import type {
  CapturedData,
  FlowField,
  FlowStep,
  FlowSubmission,
  FlowSubmissionResult,
} from '@confidant/contract';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { decryptSecret, encryptSecret } from '../../../platform/crypto/envelope.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Tx } from '../../../platform/db/client.js';
import {
  type ConsentMethod,
  type ConsentOutcome,
  capturedValues,
  consentRecords,
  visitorIdentities,
  voiceRecordings,
} from '../../../platform/db/schema/index.js';
import { AppError } from '../../../platform/errors.js';
import { recordAudit } from '../../audit/service.js';
import { visitorActor } from '../../conversations/service.js';
import { lockConversation } from '../../conversations/state.js';
import { formPurposes, noticeText } from '../../flows/flow-schema.js';
import { subjectHash } from '../subjects/subject-hash.js';

/**
 * Consent first (DESIGN.md §2: no PII unless the business configures a form and the visitor
 * consents). Invariants:
 * - a form value is stored only under a `granted` consent record for its field's purpose, in the
 *   same transaction; a purpose not ticked is recorded as `declined` and its values are dropped
 *   unread (never validated, never logged);
 * - with Global Privacy Control (Sec-GPC: 1 or navigator.globalPrivacyControl) optional purposes
 *   are recorded `refused` (method `gpc`) and optional fields are dropped even if sent;
 * - a record holds the SHA-256 of the exact notice text (computed here from the saved flow, not
 *   taken from the client) and the flow version; values are envelope-encrypted, bound to the row;
 * - withdrawal marks every granted record of the conversation withdrawn and DELETES the values
 *   captured under them (the stronger promise than "stop using"); audit entries hold ids/counts.
 */
export const noticeHash = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const location = (orgId: string, rowId: string) => ({
  orgId,
  table: 'captured_values',
  column: 'value_ciphertext',
  rowId,
});

const valueSchemas: Record<FlowField['kind'], z.ZodType<string>> = {
  name: z.string().trim().min(1).max(200),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: 'must be an email address' }).max(254)),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ().\-/]{5,30}$/, 'must be a phone number')
    .refine((v) => v.replace(/\D/g, '').length >= 5, 'must be a phone number'),
  text: z.string().trim().min(1).max(1000),
  select: z.string(),
  custom: z.string().trim().min(1).max(500),
};

function parseValue(field: FlowField, raw: string, path: string): string {
  const parsed = valueSchemas[field.kind].safeParse(raw);
  if (!parsed.success)
    throw new AppError('validation_failed', `${field.label}: not valid`, [
      { path, message: parsed.error.issues[0]?.message ?? 'invalid' },
    ]);
  if (field.kind === 'select' && !field.options?.includes(parsed.data))
    throw new AppError('validation_failed', `${field.label}: not one of the choices`, [
      { path, message: 'must be one of the options' },
    ]);
  return parsed.data;
}

export async function submitForm(
  tx: Tx,
  keyring: Keyring,
  input: {
    orgId: string;
    agentId: string;
    conversationId: string;
    flowVersion: number;
    step: Extract<FlowStep, { type: 'form' }>;
    submission: FlowSubmission;
    gpc: boolean;
  },
): Promise<FlowSubmissionResult> {
  const { orgId, conversationId, step, submission, gpc } = input;
  await lockConversation(tx, orgId, conversationId);
  const ticked = new Set(submission.consents);
  const result: FlowSubmissionResult = { granted: [], declined: [], refused: [] };
  // Decide first and validate only what may be stored, so a bad value stores nothing at all.
  const plan: { purpose: string; method: ConsentMethod; outcome: ConsentOutcome; fields: FlowField[] }[] = [];
  for (const { purpose, optional } of formPurposes(step.fields)) {
    // Under GPC optional fields are never shown, so a required purpose keeps only its required ones.
    const fields = step.fields.filter((f) => f.purpose === purpose && (!gpc || f.required));
    if (gpc && optional) plan.push({ purpose, method: 'gpc', outcome: 'refused', fields: [] });
    else if (ticked.has(purpose)) plan.push({ purpose, method: 'checkbox', outcome: 'granted', fields });
    else plan.push({ purpose, method: 'checkbox', outcome: 'declined', fields: [] });
  }
  const toStore: { purpose: string; field: FlowField; value: string }[] = [];
  for (const p of plan.filter((x) => x.outcome === 'granted')) {
    for (const field of p.fields) {
      const raw = submission.values[field.key];
      if (raw === undefined || raw.trim() === '') {
        if (field.required)
          throw new AppError('validation_failed', `${field.label} is required`, [
            { path: `/values/${field.key}`, message: 'required' },
          ]);
        continue;
      }
      toStore.push({ purpose: p.purpose, field, value: parseValue(field, raw, `/values/${field.key}`) });
    }
  }
  const consentIds = new Map<string, string>();
  for (const p of plan) {
    const id = randomUUID();
    consentIds.set(p.purpose, id);
    await tx.insert(consentRecords).values({
      orgId,
      id,
      conversationId,
      agentId: input.agentId,
      stepId: step.id,
      purpose: p.purpose,
      noticeHash: noticeHash(noticeText(step.consentText, p.purpose)),
      noticeVersion: input.flowVersion,
      method: p.method,
      outcome: p.outcome,
    });
    result[p.outcome].push(p.purpose);
  }
  for (const item of toStore) {
    const id = randomUUID();
    const kind = item.field.kind;
    await tx.insert(capturedValues).values({
      orgId,
      id,
      conversationId,
      consentId: consentIds.get(item.purpose)!,
      fieldKey: item.field.key,
      fieldKind: kind,
      label: item.field.label,
      purpose: item.purpose,
      valueCiphertext: encryptSecret(keyring, item.value, location(orgId, id)),
      // Emails and phone numbers are findable by a data-subject request (keyed hash, exact value).
      valueHash: kind === 'email' || kind === 'phone' ? subjectHash(keyring, orgId, kind, item.value) : null,
    });
  }
  await recordAudit(tx, keyring, orgId, visitorActor(conversationId), {
    action: 'consent.recorded',
    targetType: 'conversation',
    targetId: conversationId,
    metadata: {
      stepId: step.id,
      granted: result.granted.length,
      declined: result.declined.length,
      refused: result.refused.length,
      values: toStore.length,
    },
  });
  return result;
}

/**
 * Confidant.identify: the host site named the visitor (signed). Recorded as a granted consent
 * with method `identify` (the site's own notice applies; the hash is of our fixed description),
 * so "Forget my details" can withdraw it too — which deletes the identity.
 */
export const IDENTIFY_PURPOSE = 'identity given by the website you are signed in to';
export const IDENTIFY_NOTICE =
  'The website you are signed in to told this chat who you are (Confidant.identify).';

export async function recordIdentifyConsent(
  tx: Tx,
  input: { orgId: string; agentId: string; conversationId: string },
): Promise<void> {
  await tx.insert(consentRecords).values({
    orgId: input.orgId,
    conversationId: input.conversationId,
    agentId: input.agentId,
    stepId: 'identify',
    purpose: IDENTIFY_PURPOSE,
    noticeHash: noticeHash(IDENTIFY_NOTICE),
    noticeVersion: 0,
    method: 'identify',
    outcome: 'granted',
  });
}

/** Granted, not withdrawn consents of a conversation (the widget shows "Forget my details" then). */
export async function activeConsents(tx: Tx, orgId: string, conversationId: string) {
  return tx
    .select({ id: consentRecords.id, purpose: consentRecords.purpose, recordedAt: consentRecords.recordedAt })
    .from(consentRecords)
    .where(
      and(
        eq(consentRecords.orgId, orgId),
        eq(consentRecords.conversationId, conversationId),
        eq(consentRecords.outcome, 'granted'),
        isNull(consentRecords.withdrawnAt),
      ),
    );
}

export async function withdrawConsents(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  conversationId: string,
): Promise<{ withdrawn: number; deletedValues: number; recordingBlobKeys: string[] }> {
  await lockConversation(tx, orgId, conversationId);
  const active = await activeConsents(tx, orgId, conversationId);
  if (active.length === 0) return { withdrawn: 0, deletedValues: 0, recordingBlobKeys: [] };
  const ids = active.map((a) => a.id);
  await tx
    .update(consentRecords)
    .set({ withdrawnAt: sql`now()` })
    .where(and(eq(consentRecords.orgId, orgId), inArray(consentRecords.id, ids)));
  const deleted = await tx
    .delete(capturedValues)
    .where(and(eq(capturedValues.orgId, orgId), inArray(capturedValues.consentId, ids)))
    .returning({ id: capturedValues.id });
  // Withdrawing an identify consent forgets the identity the host site gave.
  const identities = active.some((a) => a.purpose === IDENTIFY_PURPOSE)
    ? await tx
        .delete(visitorIdentities)
        .where(and(eq(visitorIdentities.orgId, orgId), eq(visitorIdentities.conversationId, conversationId)))
        .returning({ id: visitorIdentities.id })
    : [];
  // Withdrawing the voice-recording consent deletes the kept recordings (the caller deletes their
  // files, by the returned blob keys, once this transaction committed).
  const recordings = active.some((a) => a.purpose === 'voice_recording')
    ? await tx
        .delete(voiceRecordings)
        .where(and(eq(voiceRecordings.orgId, orgId), eq(voiceRecordings.conversationId, conversationId)))
        .returning({ blobKey: voiceRecordings.blobKey })
    : [];
  await recordAudit(tx, keyring, orgId, visitorActor(conversationId), {
    action: 'consent.withdrawn',
    targetType: 'conversation',
    targetId: conversationId,
    metadata: {
      consents: ids.length,
      deletedValues: deleted.length,
      deletedIdentities: identities.length,
      deletedRecordings: recordings.length,
    },
  });
  return {
    withdrawn: ids.length,
    deletedValues: deleted.length,
    recordingBlobKeys: recordings.map((r) => r.blobKey),
  };
}

/** Everything captured in a conversation, values opened, for operators (inbox). */
export async function capturedData(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  conversationId: string,
): Promise<CapturedData> {
  const consents = await tx
    .select()
    .from(consentRecords)
    .where(and(eq(consentRecords.orgId, orgId), eq(consentRecords.conversationId, conversationId)))
    .orderBy(asc(consentRecords.recordedAt), asc(consentRecords.purpose));
  const values = await tx
    .select()
    .from(capturedValues)
    .where(and(eq(capturedValues.orgId, orgId), eq(capturedValues.conversationId, conversationId)))
    .orderBy(asc(capturedValues.capturedAt), asc(capturedValues.fieldKey));
  return {
    consents: consents.map((c) => ({
      id: c.id,
      stepId: c.stepId,
      purpose: c.purpose,
      noticeHash: c.noticeHash,
      noticeVersion: c.noticeVersion,
      method: c.method,
      outcome: c.outcome,
      recordedAt: c.recordedAt.toISOString(),
      withdrawnAt: c.withdrawnAt?.toISOString() ?? null,
    })),
    values: values.map((v) => ({
      id: v.id,
      consentId: v.consentId,
      key: v.fieldKey,
      kind: v.fieldKind,
      label: v.label,
      purpose: v.purpose,
      value: decryptSecret(keyring, v.valueCiphertext, location(orgId, v.id)),
      capturedAt: v.capturedAt.toISOString(),
    })),
  };
}
