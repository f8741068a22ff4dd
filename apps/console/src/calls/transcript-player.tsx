import type { CallSegment } from '@confidant/contract';
import { type RefObject, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { audioUrl } from './calls-api';
import { formatClock, speakerName } from './describe-call';

/** What the rest of the call page can ask of the player: seek to a line (evidence links). */
export type PlayerHandle = { seekToSegment: (index: number) => void };

/** The index of the line being heard at `time`: the last one that started at or before it. */
export function activeSegmentAt(segments: CallSegment[], time: number): number | null {
  let active: number | null = null;
  for (const segment of segments) {
    if (segment.start <= time + 0.05) active = segment.index;
    else break;
  }
  return active;
}

const reducedMotion = () =>
  typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

/**
 * The recording and its transcript, kept in step: the line being heard is marked (aria-current)
 * and scrolled into the transcript's view as the audio plays; each line is a button, so a click or Enter seeks the
 * audio to where it starts. The rep's lines carry a "Rep" tag. The audio streams from the server
 * with Range requests, so seeking does not download the whole file first.
 */
export function TranscriptPlayer({
  callId,
  segments,
  repSpeaker,
  diarized,
  handle,
}: {
  callId: string;
  segments: CallSegment[];
  repSpeaker: string;
  diarized: boolean;
  handle: RefObject<PlayerHandle | null>;
}) {
  const audio = useRef<HTMLAudioElement>(null);
  const lines = useRef(new Map<number, HTMLButtonElement>());
  const list = useRef<HTMLOListElement>(null);
  const [time, setTime] = useState(0);
  // A line just cited by an evidence link stands out for a moment.
  const [cited, setCited] = useState<number | null>(null);
  const active = activeSegmentAt(segments, time);
  const speakers = [...new Set(segments.map((s) => s.speaker))].sort();

  const seek = (segment: CallSegment) => {
    const element = audio.current;
    if (element) element.currentTime = segment.start;
    setTime(segment.start);
  };

  useImperativeHandle(handle, () => ({
    seekToSegment(index) {
      const segment = segments.find((s) => s.index === index);
      if (!segment) return;
      seek(segment);
      setCited(index);
      const line = lines.current.get(index);
      line?.scrollIntoView({ block: 'center', behavior: reducedMotion() ? 'auto' : 'smooth' });
      line?.focus({ preventScroll: true });
    },
  }));

  useEffect(() => {
    if (cited === null) return;
    const timer = setTimeout(() => setCited(null), 2500);
    return () => clearTimeout(timer);
  }, [cited]);

  // Follow the audio: the current line scrolls into the transcript's own view when it is outside
  // it. Only the transcript scrolls, never the page, so reading the scores while it plays is calm.
  useEffect(() => {
    const box = list.current;
    const line = active === null ? undefined : lines.current.get(active);
    if (!box || !line) return;
    const top = line.offsetTop;
    const bottom = top + line.offsetHeight;
    if (top >= box.scrollTop && bottom <= box.scrollTop + box.clientHeight) return;
    box.scrollTo({
      top: Math.max(0, top - box.clientHeight / 3),
      behavior: reducedMotion() ? 'auto' : 'smooth',
    });
  }, [active]);

  return (
    <section className="call-card call-player" aria-labelledby="call-transcript-title">
      {/* biome-ignore lint/a11y/useMediaCaption: the transcript beside the player is the recording's text */}
      <audio
        ref={audio}
        className="call-audio"
        controls
        preload="metadata"
        src={audioUrl(callId)}
        aria-label="Call recording"
        onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
        onSeeked={(e) => setTime(e.currentTarget.currentTime)}
      />
      <div className="call-card-header">
        <h2 id="call-transcript-title" className="section-title">
          Transcript
        </h2>
        {diarized && (
          <ul className="speaker-legend" aria-label="Speakers">
            {speakers.map((s) => (
              <li key={s}>
                <span className={`speaker speaker-${speakerSlot(s)}`}>{speakerName(s)}</span>
                {s === repSpeaker && <span className="rep-tag">Rep</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
      {!diarized && (
        <p className="notice call-notice" role="note">
          Single-speaker transcript: the transcription model did not tell the speakers apart, so every line is
          shown as one speaker and the talk ratio and interruptions describe the whole call.
        </p>
      )}
      {segments.length === 0 ? (
        <p className="muted">The transcript is empty: no speech was recognized.</p>
      ) : (
        <ol ref={list} className="transcript" aria-label="Transcript lines">
          {segments.map((segment) => {
            const isActive = segment.index === active;
            const classes = ['transcript-line'];
            if (isActive) classes.push('transcript-line-active');
            if (segment.index === cited) classes.push('transcript-line-cited');
            return (
              <li key={segment.index}>
                <button
                  type="button"
                  ref={(el) => {
                    if (el) lines.current.set(segment.index, el);
                    else lines.current.delete(segment.index);
                  }}
                  className={classes.join(' ')}
                  aria-current={isActive ? 'true' : undefined}
                  data-start={segment.start}
                  onClick={() => seek(segment)}
                >
                  <span className="transcript-time">
                    <span className="visually-hidden">Play from </span>
                    {formatClock(segment.start)}
                  </span>
                  <span className="transcript-speaker">
                    <span className={`speaker speaker-${speakerSlot(segment.speaker)}`}>
                      {speakerName(segment.speaker)}
                    </span>
                    {diarized && segment.speaker === repSpeaker && <span className="rep-tag">Rep</span>}
                  </span>
                  <span className="transcript-text">{segment.text}</span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

/** One of six speaker colours, stable per label ('A' → 0, 'B' → 1, …). */
export const speakerSlot = (speaker: string) => (speaker.charCodeAt(0) - 65 + 6) % 6;
