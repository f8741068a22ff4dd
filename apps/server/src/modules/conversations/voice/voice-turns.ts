import { randomUUID } from 'node:crypto';
import { AppError } from '../../../platform/errors.js';
import { createSentenceSplitter } from './sentences.js';

/**
 * Voice turns: one visitor utterance and the spoken answer to it, held in this process's memory
 * only. Audio never leaves memory (no disk, database, job payload or log) unless the agent
 * records and the visitor consented: then it is kept encrypted (recordings.ts).
 *
 * Invariants:
 * - bounded: at most `maxBytes` of audio and `maxSeconds` of recording per turn (413 beyond,
 *   and the turn is dropped), at most `maxTurns` turns in the process (503 beyond);
 * - a turn belongs to one conversation of one org: any other conversation sees 404;
 * - the audio is dropped as soon as it is transcribed (or the turn ends); the whole turn (its
 *   transcript and the answer's sentences) is dropped `ttlMs` after its last activity, swept
 *   lazily on every call;
 * - one open turn per conversation: starting another drops the previous one.
 */
export type VoiceTurnLimits = { maxBytes: number; maxSeconds: number; maxTurns: number; ttlMs: number };

export const DEFAULT_VOICE_LIMITS: VoiceTurnLimits = {
  maxBytes: 1024 * 1024,
  maxSeconds: 60,
  maxTurns: 500,
  ttlMs: 2 * 60_000,
};

export type VoiceTurn = {
  id: string;
  orgId: string;
  conversationId: string;
  startedAt: number;
  activeAt: number;
  chunks: Uint8Array[];
  bytes: number;
  mimeType: string;
  state: 'recording' | 'transcribing' | 'transcribed';
  transcript: string | null;
  /** The answer's sentences, as the answer streams (what `GET …/speech/{index}` reads aloud). */
  sentences: string[];
  /** The kept recording of this turn (recordings.ts), linked to its message once stored. */
  recordingId: string | null;
};

export class VoiceTurns {
  private readonly turns = new Map<string, VoiceTurn>();
  readonly limits: VoiceTurnLimits;
  private readonly now: () => number;

  constructor(limits: Partial<VoiceTurnLimits> = {}, now: () => number = Date.now) {
    this.limits = { ...DEFAULT_VOICE_LIMITS, ...limits };
    this.now = now;
  }

  /** How many turns (and bytes of audio) this process holds: tests and the residue scan read it. */
  stats(): { turns: number; audioBytes: number } {
    this.sweep();
    let audioBytes = 0;
    for (const turn of this.turns.values()) audioBytes += turn.bytes;
    return { turns: this.turns.size, audioBytes };
  }

  start(orgId: string, conversationId: string, mimeType: string): VoiceTurn {
    this.sweep();
    for (const [id, turn] of this.turns)
      if (turn.orgId === orgId && turn.conversationId === conversationId) this.turns.delete(id);
    if (this.turns.size >= this.limits.maxTurns)
      throw new AppError('unavailable', 'Too many voice messages at once; please try again shortly');
    const now = this.now();
    const turn: VoiceTurn = {
      id: randomUUID(),
      orgId,
      conversationId,
      startedAt: now,
      activeAt: now,
      chunks: [],
      bytes: 0,
      mimeType,
      state: 'recording',
      transcript: null,
      sentences: [],
      recordingId: null,
    };
    this.turns.set(turn.id, turn);
    return turn;
  }

  /** The turn, if it exists and belongs to this conversation; 404 otherwise. */
  get(orgId: string, conversationId: string, turnId: string): VoiceTurn {
    this.sweep();
    const turn = this.turns.get(turnId);
    if (!turn || turn.orgId !== orgId || turn.conversationId !== conversationId)
      throw new AppError('not_found', 'Voice message not found');
    turn.activeAt = this.now();
    return turn;
  }

  append(turn: VoiceTurn, chunk: Uint8Array): void {
    if (turn.state !== 'recording') throw new AppError('conflict', 'This voice message has already ended');
    const seconds = (this.now() - turn.startedAt) / 1000;
    if (turn.bytes + chunk.byteLength > this.limits.maxBytes || seconds > this.limits.maxSeconds + 5) {
      this.drop(turn.id);
      throw new AppError(
        'payload_too_large',
        `A voice message is limited to ${this.limits.maxSeconds} seconds (${Math.round(this.limits.maxBytes / 1024)} KB)`,
      );
    }
    turn.chunks.push(chunk);
    turn.bytes += chunk.byteLength;
  }

  /** The recorded audio, removed from the turn: after this only the transcript remains. */
  takeAudio(turn: VoiceTurn): Uint8Array {
    if (turn.state !== 'recording') throw new AppError('conflict', 'This voice message has already ended');
    if (turn.bytes === 0) {
      this.drop(turn.id);
      throw new AppError('bad_request', 'The voice message is empty: send its audio first');
    }
    const audio = Buffer.concat(turn.chunks);
    turn.chunks = [];
    turn.bytes = 0;
    turn.state = 'transcribing';
    return audio;
  }

  /** A sentence splitter that files the answer's sentences into the turn. */
  speaker(turn: VoiceTurn) {
    const splitter = createSentenceSplitter();
    turn.sentences = [];
    const add = (sentences: string[]) => {
      const first = turn.sentences.length;
      turn.sentences.push(...sentences);
      return sentences.map((_, i) => first + i);
    };
    return {
      push: (delta: string) => add(splitter.push(delta)),
      finish: () => add(splitter.finish()),
      /** The answer was dropped (an operator took over): nothing more is spoken. */
      cancel: () => {
        turn.sentences = [];
      },
    };
  }

  drop(turnId: string): void {
    const turn = this.turns.get(turnId);
    if (turn) turn.chunks = [];
    this.turns.delete(turnId);
  }

  /** Drops every turn of a conversation (closed, erased). */
  dropConversation(orgId: string, conversationId: string): void {
    for (const [id, turn] of this.turns)
      if (turn.orgId === orgId && turn.conversationId === conversationId) this.drop(id);
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, turn] of this.turns) if (now - turn.activeAt > this.limits.ttlMs) this.drop(id);
  }
}

export type VoiceSpeaker = ReturnType<VoiceTurns['speaker']>;
