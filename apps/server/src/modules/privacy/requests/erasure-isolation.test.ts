import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanForResidue } from '../../../testing/residue-scan.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { createWidgetOrg, listen, type WidgetOrg } from '../../conversations/testing/widget-fixture.js';
import {
  canariesFor,
  issueIdentitySecret,
  runPrivacyRequest,
  type SubjectCanaries,
  seedSubject,
} from '../testing/subject-fixture.js';

/**
 * Property: for random sets of subjects, erasing one (found by any kind of identifier) removes
 * its canaries everywhere and never touches another's — every other subject's message, phone,
 * contact email and operator reply are still stored. PGlite only (each run seeds through HTTP).
 */
describe('erasure isolation (property)', () => {
  let t: TestApp;
  let base: string;
  let org: WidgetOrg;
  let secret: string;
  let run = 0;

  beforeAll(async () => {
    t = await createTestApp();
    org = await createWidgetOrg(t, 'Lumen', {}, []);
    secret = await issueIdentitySecret(t, org.apiKey, org.agentId);
    base = await listen(t);
  });
  afterAll(() => t?.close());

  const visible = (c: SubjectCanaries) => [c.message, c.phone, c.contactEmail, c.reply];

  it('erasing one subject never touches another', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }),
        fc.nat(),
        fc.constantFrom('email', 'phone', 'userId', 'conversationId', 'identityEmail'),
        fc.boolean(),
        async (size, pick, by, handoff) => {
          const r = ++run;
          const subjects = Array.from({ length: size }, (_, i) => canariesFor(`p${r}x${i}`, r * 10 + i));
          const conversations = [];
          for (const s of subjects)
            conversations.push(await seedSubject(t, base, org, secret, s, { handoff }));
          const target = pick % size;
          const victim = subjects[target]!;
          const subject =
            by === 'email'
              ? { email: victim.contactEmail }
              : by === 'identityEmail'
                ? { email: victim.identityEmail }
                : by === 'phone'
                  ? { phone: victim.phone }
                  : by === 'userId'
                    ? { userId: victim.userId }
                    : { conversationId: conversations[target]!.conversationId };
          const done = await runPrivacyRequest(t, org.apiKey, { type: 'erasure', subject });
          expect(done.status).toBe('completed');
          expect(done.counts.conversations).toBe(1);
          const scan = { database: t.database, dataDir: t.config.dataDir };
          expect(await scanForResidue(scan, visible(victim))).toEqual([]);
          for (const s of subjects.filter((_, i) => i !== target)) {
            const found = new Set((await scanForResidue(scan, visible(s))).map((x) => x.needle));
            expect([...found].sort()).toEqual([...visible(s)].filter((n) => handoff || n !== s.reply).sort());
          }
        },
      ),
      { numRuns: 6, seed: 20261129 },
    );
  });
});
