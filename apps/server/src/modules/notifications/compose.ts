import type { HandoffReason, NotificationKind } from '../../platform/db/schema/index.js';

/**
 * The words of every notification. Operator notifications carry the agent's name, the reason
 * and a link to the conversation in the console; chat text appears only as `preview`, which the
 * caller passes only when the organization turned previews on. The link is added when the
 * message is delivered (linkedMessageText), from the configured public URL, so a stored row
 * holds the conversation id rather than an address that may change.
 */
export type ComposedNotification = { kind: NotificationKind; subject: string; body: string };

/** How much chat text a preview may quote. */
const PREVIEW_MAX_CHARS = 500;

const reasonWords: Record<HandoffReason, string> = {
  requested: 'the visitor asked for a person',
  low_confidence: 'the assistant could not answer confidently',
  rule: 'a handoff rule matched',
};

function quote(preview: string | null): string[] {
  if (preview === null) return [];
  const text = preview.length > PREVIEW_MAX_CHARS ? `${preview.slice(0, PREVIEW_MAX_CHARS)}…` : preview;
  return ['', 'Latest visitor message:', ...text.split('\n').map((line) => `> ${line}`)];
}

export function waitingConversation(input: {
  agentName: string;
  reason: HandoffReason | null;
  preview: string | null;
}): ComposedNotification {
  return {
    kind: 'conversation_waiting',
    subject: `A visitor is waiting for a person (${input.agentName})`,
    body: [
      `A conversation with ${input.agentName} is waiting for a person.`,
      `Reason: ${input.reason ? reasonWords[input.reason] : 'a person was asked for'}.`,
      ...quote(input.preview),
    ].join('\n'),
  };
}

export function assignedToYou(input: { agentName: string; preview: string | null }): ComposedNotification {
  return {
    kind: 'conversation_assigned',
    subject: `A conversation was assigned to you (${input.agentName})`,
    body: [`A conversation with ${input.agentName} was assigned to you.`, ...quote(input.preview)].join('\n'),
  };
}

export function visitorReplied(input: { agentName: string; preview: string | null }): ComposedNotification {
  return {
    kind: 'visitor_replied',
    subject: `The visitor wrote in your conversation (${input.agentName})`,
    body: [
      `The visitor wrote a new message in your conversation with ${input.agentName}.`,
      ...quote(input.preview),
    ].join('\n'),
  };
}

/**
 * An operator's reply, emailed to the visitor who left an address (with consent) for exactly
 * this: the reply text is the point of the message, addressed to its reader.
 */
export function operatorReplyToVisitor(input: {
  agentName: string;
  replyText: string;
}): ComposedNotification {
  return {
    kind: 'operator_reply',
    subject: `${input.agentName}: a reply to your question`,
    body: [
      input.replyText,
      '',
      '—',
      `You receive this because you left this address in the chat with ${input.agentName} and asked to be answered by email.`,
    ].join('\n'),
  };
}

/** Where the console is: PUBLIC_URL, else the address the server listens on. */
export function consoleBaseUrl(config: {
  publicUrl: string | undefined;
  host: string;
  port: number;
}): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/+$/, '');
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}`;
}

export function conversationLink(baseUrl: string, conversationId: string): string {
  return `${baseUrl}/console/inbox/${conversationId}`;
}

/** Operator notifications end with the link to their conversation; a visitor's email has none. */
export function linkedMessageText(
  row: { kind: NotificationKind; body: string; conversationId: string | null },
  baseUrl: string,
): string {
  if (row.kind === 'operator_reply' || row.conversationId === null) return row.body;
  return `${row.body}\n\nOpen the conversation: ${conversationLink(baseUrl, row.conversationId)}`;
}
