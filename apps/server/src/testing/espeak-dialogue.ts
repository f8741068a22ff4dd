import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { encodeWav, parseWav } from './wav-pcm.js';

/**
 * Test helper: a spoken two-voice dialogue (a recorded call without a recording) made with
 * espeak-ng, with the exact timeline of every line.
 *
 * Each line is synthesised on its own (`espeak-ng -v <voice> --stdout`), trimmed to its voiced
 * samples (espeak pads with silence), and placed after the previous line with a known pause —
 * or `overlapSeconds` BEFORE the previous line ends, mixed over it (an interruption). Start and
 * end come from sample counts, so they are exact to one sample. Needs `espeak-ng` on the PATH
 * (installed here and in CI); no ffmpeg.
 */
export type DialogueScriptLine = {
  speaker: string;
  text: string;
  /** Silence before this line (default 0.7 s); ignored when `overlapSeconds` is set. */
  pauseBeforeSeconds?: number;
  /** Start this long before the previous line ends (talking over it). */
  overlapSeconds?: number;
};

export type DialogueLine = { speaker: string; text: string; start: number; end: number };

export type Dialogue = {
  wav: Uint8Array;
  sampleRate: number;
  durationSeconds: number;
  lines: DialogueLine[];
};

/** Two clearly different voices: a US male and a British female. */
export const DEFAULT_VOICES: Record<string, string> = { A: 'en-us+m3', B: 'en-gb+f3' };

/** A short sales call: rep A, customer B, one interruption. */
export const SAMPLE_SALES_DIALOGUE: DialogueScriptLine[] = [
  { speaker: 'A', text: 'Hi, this is Sam from Acme. Thanks for taking the call.' },
  { speaker: 'B', text: 'Sure. We need a better way to handle support tickets.' },
  { speaker: 'A', text: 'How many agents are on your team today?' },
  { speaker: 'B', text: 'About twelve, and we are growing quickly this year.' },
  { speaker: 'A', text: 'Our pro plan would fit well, and it includes', pauseBeforeSeconds: 0.8 },
  { speaker: 'B', text: 'What does it cost?', overlapSeconds: 0.5 },
  { speaker: 'A', text: 'Forty dollars per agent each month.', pauseBeforeSeconds: 0.9 },
];

const run = promisify(execFile);
/** Below this absolute amplitude a sample counts as silence when trimming a line. */
const TRIM_THRESHOLD = 200;
const DEFAULT_PAUSE_SECONDS = 0.7;
/** Silence before the first line and after the last. */
const EDGE_SILENCE_SECONDS = 0.3;

export async function generateEspeakDialogue(
  script: readonly DialogueScriptLine[] = SAMPLE_SALES_DIALOGUE,
  voices: Record<string, string> = DEFAULT_VOICES,
): Promise<Dialogue> {
  const clips: Int16Array[] = [];
  let sampleRate = 0;
  for (const line of script) {
    const voice = voices[line.speaker];
    if (!voice) throw new Error(`no voice for speaker ${line.speaker}`);
    const { stdout } = await run('espeak-ng', ['-v', voice, '-s', '165', '--stdout', line.text], {
      encoding: 'buffer',
      maxBuffer: 64 * 1024 * 1024,
    });
    const audio = parseWav(new Uint8Array(stdout));
    if (audio.channels !== 1) throw new Error('espeak-ng produced more than one channel');
    if (sampleRate && audio.sampleRate !== sampleRate)
      throw new Error('espeak-ng voices differ in sample rate');
    sampleRate = audio.sampleRate;
    clips.push(trimSilence(audio.samples));
  }
  const placed: { at: number; clip: Int16Array }[] = [];
  let cursor = Math.round(EDGE_SILENCE_SECONDS * sampleRate);
  let previousEnd = cursor;
  script.forEach((line, i) => {
    const clip = clips[i]!;
    const at =
      i === 0
        ? cursor
        : line.overlapSeconds !== undefined
          ? Math.max(0, previousEnd - Math.round(line.overlapSeconds * sampleRate))
          : previousEnd + Math.round((line.pauseBeforeSeconds ?? DEFAULT_PAUSE_SECONDS) * sampleRate);
    placed.push({ at, clip });
    cursor = Math.max(cursor, at + clip.length);
    previousEnd = at + clip.length;
  });
  const total = cursor + Math.round(EDGE_SILENCE_SECONDS * sampleRate);
  const mix = new Int32Array(total);
  for (const { at, clip } of placed) for (let i = 0; i < clip.length; i++) mix[at + i]! += clip[i]!;
  const samples = Int16Array.from(mix, (v) => Math.max(-32768, Math.min(32767, v)));
  return {
    wav: encodeWav(samples, sampleRate),
    sampleRate,
    durationSeconds: total / sampleRate,
    lines: script.map((line, i) => ({
      speaker: line.speaker,
      text: line.text,
      start: placed[i]!.at / sampleRate,
      end: (placed[i]!.at + placed[i]!.clip.length) / sampleRate,
    })),
  };
}

/** The clip from its first to its last voiced sample. */
function trimSilence(samples: Int16Array): Int16Array {
  let first = 0;
  while (first < samples.length && Math.abs(samples[first]!) < TRIM_THRESHOLD) first++;
  let last = samples.length - 1;
  while (last > first && Math.abs(samples[last]!) < TRIM_THRESHOLD) last--;
  return samples.slice(first, last + 1);
}
