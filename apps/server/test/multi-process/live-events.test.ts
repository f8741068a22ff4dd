import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LiveEvent,
  type LiveEvents,
  openLiveEvents,
} from '../../src/modules/conversations/testing/live-events.js';
import {
  operatorCall,
  provisionWidgetOrg,
  type RemoteOrg,
} from '../../src/modules/conversations/testing/remote-org.js';
import { SITE, startConversation } from '../../src/modules/conversations/testing/widget-fixture.js';
import { testPostgresUrl } from '../../src/platform/db/test-database.js';
import { type ServerPair, type ServerProcess, startServerPair } from '../../src/testing/server-process.js';

/**
 * Live events across processes (DESIGN.md §8: any number of server processes on one
 * PostgreSQL): two real servers on one database; the visitor listens on A, the operator acts on
 * B, so every event reaches A only through the outbox and NOTIFY. Then the visitor drops and
 * resumes on B with Last-Event-ID, as a widget does after a reconnect behind a load balancer.
 */
type Status = { status: string };
type Message = { role: string; text: string; systemEvent?: string };

const isStatus = (status: string) => (e: LiveEvent) =>
  e.event === 'status' && e.id !== undefined && (e.data as Status).status === status;
const isText = (text: string) => (e: LiveEvent) => e.event === 'message' && (e.data as Message).text === text;
/** What an event says, for comparing sequences: `status:human`, `message:operator:text`, … */
const label = (e: LiveEvent) =>
  e.event === 'status'
    ? `status:${(e.data as Status).status}`
    : `${e.event}:${(e.data as Message).role}:${(e.data as Message).systemEvent ?? (e.data as Message).text}`;

describe.runIf(testPostgresUrl)(
  'two server processes on one PostgreSQL database',
  { timeout: 60_000 },
  () => {
    let pair: ServerPair;
    const streams: LiveEvents[] = [];
    let a: ServerProcess;
    let b: ServerProcess;
    let org: RemoteOrg;

    beforeAll(async () => {
      pair = await startServerPair('multi');
      ({ a, b } = pair);
      org = await provisionWidgetOrg(a.url, pair.platformKey, 'Two processes');
    });
    afterAll(async () => {
      for (const s of streams) s.close();
      await pair?.stop();
    });

    const visitorStream = (server: ServerProcess, conversationId: string, token: string, after: string) =>
      openLiveEvents(`${server.url}/v1/widget/conversations/${conversationId}/events`, {
        authorization: `Bearer ${token}`,
        origin: SITE,
        'last-event-id': after,
      }).then((s) => {
        streams.push(s);
        return s;
      });

    it('a reply and a status change made on B reach the visitor on A; a resume on B returns exactly what was missed', async () => {
      const { conversationId, token } = await startConversation(a.url, org.agentKey);
      // Last-Event-ID 0 (nothing seen yet) makes the subscription gap-free from the start: without
      // it, an event committed while A is still subscribing would not be replayed.
      const onA = await visitorStream(a, conversationId, token, '0');
      expect(onA.status).toBe(200);
      await onA.waitFor((e) => e.event === 'status', 'the initial status');

      // B: the owner key replies, which takes the conversation over (human, nobody assigned).
      const reply = await operatorCall(b.url, org.apiKey, conversationId, 'messages', {
        text: 'Hello from B',
      });
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      const delivered = await onA.waitFor(isText('Hello from B'), 'the reply on A');
      expect(delivered.data).toMatchObject({ role: 'operator', text: 'Hello from B' });
      expect(delivered.id).toMatch(/^\d+$/);
      await onA.waitFor(isStatus('human'), 'status human on A');

      // B: a status change alone (hand back to the AI).
      expect((await operatorCall(b.url, org.apiKey, conversationId, 'handback')).status).toBe(200);
      await onA.waitFor(isStatus('ai'), 'status ai on A');

      // The visitor drops; what happens meanwhile on B must come back on resume, and nothing else.
      const lastSeen = Math.max(...onA.events.filter((e) => e.id).map((e) => Number(e.id)));
      onA.close();
      expect(
        (await operatorCall(b.url, org.apiKey, conversationId, 'messages', { text: 'Still there?' })).status,
      ).toBe(201);
      expect((await operatorCall(b.url, org.apiKey, conversationId, 'close')).status).toBe(200);

      const onB = await visitorStream(b, conversationId, token, String(lastSeen));
      expect(onB.status).toBe(200);
      await onB.waitFor(isStatus('closed'), 'status closed on B');
      const resumed = onB.events.filter((e) => e.id !== undefined);
      expect(resumed.map(label)).toEqual([
        'message:system:claimed',
        'status:human',
        'message:operator:Still there?',
        'message:system:closed',
        'status:closed',
      ]);
      expect(resumed.every((e) => Number(e.id) > lastSeen)).toBe(true);

      // The same events, ids included, as a full replay from A sees them after lastSeen.
      const replay = await visitorStream(a, conversationId, token, '0');
      await replay.waitFor(isStatus('closed'), 'status closed in the full replay');
      const fromReplay = replay.events.filter((e) => e.id !== undefined && Number(e.id) > lastSeen);
      expect(resumed).toEqual(fromReplay);
      // Nothing before the resume point was sent again, and nothing arrived twice.
      expect(new Set(resumed.map((e) => e.id)).size).toBe(resumed.length);
    });
  },
);
