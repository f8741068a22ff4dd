import { and, asc, eq } from 'drizzle-orm';
import { messages, modelCalls } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import type { TestApp } from '../../../testing/test-app.js';
import { readEvents, streamedText } from '../../conversations/testing/sse-client.js';
import {
  sendMessage,
  startConversation,
  type WidgetOrg,
} from '../../conversations/testing/widget-fixture.js';

/**
 * A visitor asks one question in a new widget conversation: what the widget received (SSE events,
 * the streamed text), the assistant's stored answer mode, the conversation's stored messages, and
 * the model calls metered for it in the order they were made (one row per attempt).
 */
export async function askWidget(
  t: TestApp,
  base: string,
  org: WidgetOrg,
  clientMessageId: string,
  text = 'How do I reset my password?',
) {
  const { conversationId, token } = await startConversation(base, org.agentKey);
  const events = await readEvents(await sendMessage(base, conversationId, token, { text, clientMessageId }));
  return withTenant(t.database, [org.orgId], async (tx) => {
    const stored = await tx
      .select()
      .from(messages)
      .where(and(eq(messages.orgId, org.orgId), eq(messages.conversationId, conversationId)));
    const calls = await tx
      .select()
      .from(modelCalls)
      .where(and(eq(modelCalls.orgId, org.orgId), eq(modelCalls.conversationId, conversationId)))
      .orderBy(asc(modelCalls.createdAt));
    const mode = stored.find((m) => m.role === 'assistant')?.answerMode;
    return { events, text: streamedText(events), mode, stored, calls };
  });
}
