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
 * The documented limit of ephemeral agents with several server processes: an ephemeral message's
 * text lives only in the memory of the process that received it, and the outbox event carries
 * none. Another process therefore never shows it — the visitor's stream there skips it, the
 * operator's stream and API there show it as not stored (text '') — and never shows wrong text.
 */
type Message = { role: string; text: string; ephemeral?: true; conversationId?: string };

describe.runIf(testPostgresUrl)(
  'ephemeral conversations across two server processes',
  { timeout: 60_000 },
  () => {
    let pair: ServerPair;
    const streams: LiveEvents[] = [];
    let a: ServerProcess;
    let b: ServerProcess;
    let org: RemoteOrg;
    let agentKey: string;

    beforeAll(async () => {
      pair = await startServerPair('multi-ephemeral');
      ({ a, b } = pair);
      org = await provisionWidgetOrg(a.url, pair.platformKey, 'Ephemeral processes');
      const agent = await fetch(`${a.url}/v1/agents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Ephemeral', allowedOrigins: [SITE], storeTranscripts: false }),
      });
      expect(agent.status).toBe(201);
      agentKey = ((await agent.json()) as { publishableKey: string }).publishableKey;
    });
    afterAll(async () => {
      for (const s of streams) s.close();
      await pair?.stop();
    });

    const open = async (url: string, headers: Record<string, string>) => {
      const s = await openLiveEvents(url, headers);
      streams.push(s);
      expect(s.status).toBe(200);
      return s;
    };
    const operatorMessages = (s: LiveEvents, conversationId: string) =>
      s.events
        .filter((e) => e.event === 'message')
        .map((e) => e.data as Message)
        .filter((m) => m.conversationId === conversationId && m.role === 'operator');

    it('a reply held on B reaches the visitor on B only; A shows it as not stored, never wrong', async () => {
      const { conversationId, token } = await startConversation(a.url, agentKey);
      const visitorHeaders = { authorization: `Bearer ${token}`, origin: SITE, 'last-event-id': '0' };
      const onA = await open(`${a.url}/v1/widget/conversations/${conversationId}/events`, visitorHeaders);
      const onB = await open(`${b.url}/v1/widget/conversations/${conversationId}/events`, visitorHeaders);
      const operatorOnA = await open(`${a.url}/v1/events`, { authorization: `Bearer ${org.apiKey}` });

      const fromB = await operatorCall(b.url, org.apiKey, conversationId, 'messages', { text: 'Held on B' });
      expect(fromB.status, JSON.stringify(fromB.body)).toBe(201);
      const isText = (text: string) => (e: LiveEvent) =>
        e.event === 'message' && (e.data as Message).text === text;
      await onB.waitFor(isText('Held on B'), 'the reply on B, which holds it');

      // A reply made on A afterwards: A's streams show it, so everything before it was delivered.
      expect(
        (await operatorCall(a.url, org.apiKey, conversationId, 'messages', { text: 'Held on A' })).status,
      ).toBe(201);
      await onA.waitFor(isText('Held on A'), 'the reply on A');
      await operatorOnA.waitFor(isText('Held on A'), 'the operator stream on A');

      // A never showed B's reply to the visitor, and showed it to operators only as not stored.
      const visitorOnA = onA.events
        .filter((e) => e.event === 'message' && (e.data as Message).role !== 'system')
        .map((e) => (e.data as Message).text);
      expect(visitorOnA).toEqual(['Held on A']);
      expect(operatorMessages(operatorOnA, conversationId).map((m) => [m.text, m.ephemeral])).toEqual([
        ['', true],
        ['Held on A', true],
      ]);
      const detailOnA = await fetch(`${a.url}/v1/conversations/${conversationId}`, {
        headers: { authorization: `Bearer ${org.apiKey}` },
      });
      const texts = ((await detailOnA.json()) as { messages: Message[] }).messages
        .filter((m) => m.role === 'operator')
        .map((m) => m.text);
      expect(texts).toEqual(['', 'Held on A']);
    });
  },
);
