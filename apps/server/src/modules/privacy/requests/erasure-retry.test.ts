import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, privacyRequests, visitorContacts } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { scanForResidue } from '../../../testing/residue-scan.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { createWidgetOrg, listen, type WidgetOrg } from '../../conversations/testing/widget-fixture.js';
import { canariesFor, issueIdentitySecret, needlesOf, seedSubject } from '../testing/subject-fixture.js';
import { handlePrivacyRequest } from './run-request-job.js';
import { createPrivacyRequest } from './service.js';

/**
 * A durable erasure survives a crash half-way: the conversations found at the start are kept with
 * the request, so the retry finishes them even though the rows that led to them (the consented
 * address) are already gone; a finished request run again changes nothing.
 */
describe('erasure retried after a crash', () => {
  let t: TestApp;
  let base: string;
  let org: WidgetOrg;
  let secret: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await createWidgetOrg(t, 'Lumen', {}, []);
    secret = await issueIdentitySecret(t, org.apiKey, org.agentId);
    base = await listen(t);
  });
  afterAll(() => t?.close());

  it('finishes the erasure on the retry', async () => {
    const subject = canariesFor('rty1', 41);
    const { conversationId } = await seedSubject(t, base, org, secret, subject);
    const id = randomUUID();
    // Recorded without a job, so the test plays the worker (first attempt, crash, retry).
    await withTenant(t.database, [org.orgId], (tx) =>
      createPrivacyRequest(
        tx,
        t.keyring,
        org.orgId,
        { type: 'system', id: null },
        {
          id,
          type: 'erasure',
          subject: { kind: 'email', value: subject.contactEmail },
        },
      ),
    );
    // The first attempt found the conversation and erased the contact, then the process died.
    await withTenant(t.database, [org.orgId], async (tx) => {
      await tx
        .update(privacyRequests)
        .set({ status: 'running', conversationIds: [conversationId], progress: 40 })
        .where(and(eq(privacyRequests.orgId, org.orgId), eq(privacyRequests.id, id)));
      await tx
        .delete(visitorContacts)
        .where(and(eq(visitorContacts.orgId, org.orgId), eq(visitorContacts.conversationId, conversationId)));
    });

    const deps = { database: t.database, keyring: t.keyring, blobStore: t.blobStore };
    await handlePrivacyRequest(deps, { orgId: org.orgId, requestId: id }, { retryCount: 1, retryLimit: 3 });

    const [row] = await withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(privacyRequests)
        .where(and(eq(privacyRequests.orgId, org.orgId), eq(privacyRequests.id, id))),
    );
    expect(row).toMatchObject({
      status: 'completed',
      progress: 100,
      subjectCiphertext: null,
      conversationIds: null,
    });
    expect(row!.counts.conversations).toBe(1);
    const left = await withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(conversations)
        .where(and(eq(conversations.orgId, org.orgId), eq(conversations.id, conversationId))),
    );
    expect(left).toEqual([]);
    expect(
      await scanForResidue({ database: t.database, dataDir: t.config.dataDir }, needlesOf(subject)),
    ).toEqual([]);

    // Run again (a duplicate delivery): nothing changes.
    await handlePrivacyRequest(deps, { orgId: org.orgId, requestId: id }, { retryCount: 0, retryLimit: 3 });
    const [again] = await withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(privacyRequests)
        .where(and(eq(privacyRequests.orgId, org.orgId), eq(privacyRequests.id, id))),
    );
    expect(again).toEqual(row);
  });
});
