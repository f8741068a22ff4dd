import type { InboxMessage, SystemEvent } from '@confidant/contract';

/** The words for an ownership change in the transcript (system lines carry only the event and who). */
export function describeSystemLine(message: InboxMessage): string {
  const who = message.authorName ?? 'Someone';
  const words: Record<SystemEvent, string> = {
    waiting: 'The visitor asked for a person',
    claimed: message.authorName ? `${who} took over the conversation` : 'A person took over the conversation',
    assigned: `Assigned to ${who}`,
    unassigned: 'Unassigned',
    handed_back: 'Handed back to the AI agent',
    closed: 'Conversation closed',
    reopened: 'Conversation reopened',
  };
  return message.systemEvent ? words[message.systemEvent] : message.text;
}
