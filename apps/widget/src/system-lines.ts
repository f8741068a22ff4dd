import type { SystemEvent } from '@confidant/contract';

/**
 * The words for a system line in the transcript (an ownership change), or null when the line
 * says nothing the visitor needs: `waiting` is told by the handoff notice of the answer itself.
 */
export function systemLineText(
  event: SystemEvent | undefined,
  operatorName: string | undefined,
): string | null {
  const someone = operatorName ?? 'a person from our team';
  switch (event) {
    case 'claimed':
    case 'assigned':
      return `You're now chatting with ${someone}`;
    case 'unassigned':
      return operatorName
        ? `${operatorName} has left the chat`
        : 'The person from our team has left the chat';
    case 'handed_back':
      return 'The assistant is back';
    case 'closed':
      return 'This conversation was closed';
    case 'reopened':
      return 'This conversation was reopened';
    default:
      return null;
  }
}
