import type { ConversationDetail, InboxMessage } from '@confidant/contract';
import { useQuery } from '@tanstack/react-query';
import { Bot, Lock, Mic } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { ApiError, describeError } from '../api/api-error';
import { request } from '../api/client';
import { CitedText, SourceList, useCitationNumbering } from './cited-text';
import { describeSystemLine } from './system-line';
import { useTyping } from './typing-store';
import { formatTime, visitorLabel } from './views';

/**
 * The whole transcript, oldest first: visitor lines on the left, the AI agent and the team on
 * the right, ownership changes as centred system lines, private notes marked and tinted.
 * A log region, so screen readers announce new lines politely.
 */
/** A kept voice message (GET /v1/conversations/{id}/recordings): kept only with the visitor's consent. */
type VoiceRecording = {
  id: string;
  messageId: string | null;
  mediaType: string;
  durationSeconds: number | null;
};

export function Transcript({ orgId, conversation }: { orgId: string; conversation: ConversationDetail }) {
  const end = useRef<HTMLDivElement>(null);
  const recordings = useQuery({
    retry: false,
    queryKey: [orgId, 'conversations', conversation.id, 'recordings'] as const,
    queryFn: ({ signal }) =>
      request<{ recordings: VoiceRecording[] }>(
        `/v1/conversations/${encodeURIComponent(conversation.id)}/recordings`,
        { orgId, signal },
      ),
  });
  // Listing recordings is for agents and up (the server's requireRole('agent')): a viewer's 403
  // becomes a line saying who can hear them, not silence.
  const recordingsNote =
    recordings.error instanceof ApiError && recordings.error.status === 403
      ? 'Voice recordings kept in this conversation, if any, are visible to owners, admins and agents, not to viewers.'
      : recordings.error
        ? `Voice recordings could not be loaded: ${describeError(recordings.error)}`
        : null;
  const recordingOf = (messageId: string) =>
    recordings.data?.recordings.find((r) => r.messageId === messageId) ?? null;
  const visitorTyping = useTyping(conversation.id, 'visitor');
  const count = conversation.messages.length;
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll when the line count or typing changes
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [count, visitorTyping]);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to scroll it (WCAG 2.1.1)
    <div className="transcript" role="log" aria-label="Transcript" tabIndex={0}>
      {recordingsNote && (
        <p className="recordings-note" role="note">
          {recordingsNote}
        </p>
      )}
      {conversation.messages.map((m) => (
        <TranscriptLine
          key={m.id}
          message={m}
          visitor={visitorLabel(conversation.id)}
          recordingUrl={(() => {
            const r = m.role === 'visitor' ? recordingOf(m.id) : null;
            return r
              ? `/v1/conversations/${encodeURIComponent(conversation.id)}/recordings/${encodeURIComponent(r.id)}`
              : null;
          })()}
        />
      ))}
      {visitorTyping && (
        <p className="typing-indicator">
          <span className="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          Visitor is typing…
        </p>
      )}
      <div ref={end} />
    </div>
  );
}

function TranscriptLine({
  message,
  visitor,
  recordingUrl,
}: {
  message: InboxMessage;
  visitor: string;
  /** The kept recording of this voice message (played on demand: each play is audited). */
  recordingUrl: string | null;
}) {
  if (message.role === 'system')
    return (
      <p className="system-line">
        <span>{describeSystemLine(message)}</span>
        <time dateTime={message.createdAt}>{formatTime(message.createdAt)}</time>
      </p>
    );
  const author =
    message.role === 'visitor'
      ? visitor
      : message.role === 'assistant'
        ? 'AI agent'
        : (message.authorName ?? 'Team');
  const kind = message.internal ? 'note' : message.role;
  return (
    <article
      className={`message message-${kind}`}
      aria-label={message.internal ? `Private note by ${author}` : `${author}`}
    >
      <header className="message-meta">
        {message.internal && <Lock aria-hidden="true" />}
        {message.role === 'assistant' && <Bot aria-hidden="true" />}
        <span className="message-author">{message.internal ? `Private note · ${author}` : author}</span>
        <time dateTime={message.createdAt}>{formatTime(message.createdAt)}</time>
        {message.spoken && (
          <span
            className="message-spoken"
            title="Spoken by the visitor; the text is the speech transcriber's"
          >
            <Mic aria-hidden="true" />
            Spoken
          </span>
        )}
      </header>
      {message.ephemeral && message.text === '' ? (
        <p className="message-text message-not-stored">Not stored</p>
      ) : message.role === 'assistant' ? (
        <AnswerText text={message.text} citations={message.citations} />
      ) : (
        <p className="message-text">{message.text}</p>
      )}
      {recordingUrl && (
        // biome-ignore lint/a11y/useMediaCaption: the message text above is the recording's transcript
        <audio
          className="voice-recording"
          controls
          preload="none"
          src={recordingUrl}
          aria-label="Recording of this voice message"
        />
      )}
    </article>
  );
}

/** An answer with its citation markers as numbered links and its numbered sources. */
function AnswerText({ text, citations }: { text: string; citations: InboxMessage['citations'] }) {
  const numbering = useCitationNumbering(text, citations);
  return (
    <>
      <CitedText className="message-text" text={text} numbering={numbering} />
      <SourceList className="citations source-list" sources={numbering.sources} />
    </>
  );
}
