import type { ConversationDetail, HandoffDetail } from '@confidant/contract';
import { MessageSquareQuote, UserRound } from 'lucide-react';
import { RatingBadge } from './rating-badge';
import './conversation-notes.css';

const handoffReasonText: Record<HandoffDetail['reason'], string> = {
  visitor_asked: 'visitor asked for a person',
  not_in_knowledge: 'the answer is not in the knowledge base',
  account_specific: 'about their own account or order',
  complaint: 'a complaint',
  sensitive: 'something sensitive',
  other: 'the assistant could not help',
};

/**
 * Above the transcript: why the assistant handed the conversation over (its handoff tool call:
 * reason and one-sentence summary for the person taking over), and the visitor's satisfaction
 * rating with their comment once they gave one. Shows nothing when there is neither.
 */
export function ConversationNotes({ conversation }: { conversation: ConversationDetail }) {
  const handoff = conversation.handoffDetail;
  const rating = conversation.rating;
  if (!handoff && !rating) return null;
  return (
    <div className="conversation-notes">
      {handoff && (
        <p className="conversation-note" data-testid="handoff-note">
          <UserRound aria-hidden="true" size={16} />
          <span>
            <strong>Handed over: {handoffReasonText[handoff.reason]}</strong>
            {handoff.summary && <> — {handoff.summary}</>}
          </span>
        </p>
      )}
      {rating && (
        <p className="conversation-note" data-testid="rating-note">
          <MessageSquareQuote aria-hidden="true" size={16} />
          <span>
            <strong>Visitor rating</strong> <RatingBadge score={rating.score} />
            {rating.comment && <q className="conversation-note-quote">{rating.comment}</q>}
          </span>
        </p>
      )}
    </div>
  );
}
