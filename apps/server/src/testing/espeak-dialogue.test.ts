import { describe, expect, it } from 'vitest';
import { generateEspeakDialogue, SAMPLE_SALES_DIALOGUE } from './espeak-dialogue.js';
import { encodeWav, parseWav } from './wav-pcm.js';
import { wavSpeechRegions } from './wav-speech-regions.js';

const TOLERANCE_SECONDS = 0.05;

describe('espeak dialogue and speech regions', () => {
  it('generates a two-voice WAV whose speech regions match the line timeline', async () => {
    const dialogue = await generateEspeakDialogue();
    const audio = parseWav(dialogue.wav);
    expect(audio.channels).toBe(1);
    expect(audio.samples.length / audio.sampleRate).toBeCloseTo(dialogue.durationSeconds, 6);
    expect(dialogue.lines.map((l) => [l.speaker, l.text])).toEqual(
      SAMPLE_SALES_DIALOGUE.map((l) => [l.speaker, l.text]),
    );
    // The interruption: line 5 starts 0.5 s before line 4 ends.
    const [, , , , cut, over] = dialogue.lines;
    expect(cut!.end - over!.start).toBeCloseTo(0.5, 3);
    for (const l of dialogue.lines) expect(l.end).toBeGreaterThan(l.start + 0.5);

    // The expected regions: the lines, with the overlapping pair as one region.
    const expected: { start: number; end: number }[] = [];
    for (const l of dialogue.lines) {
      const last = expected.at(-1);
      if (last && l.start < last.end) last.end = Math.max(last.end, l.end);
      else expected.push({ start: l.start, end: l.end });
    }
    const regions = wavSpeechRegions(dialogue.wav);
    expect(regions).toHaveLength(expected.length);
    regions.forEach((r, i) => {
      expect(Math.abs(r.start - expected[i]!.start)).toBeLessThanOrEqual(TOLERANCE_SECONDS);
      expect(Math.abs(r.end - expected[i]!.end)).toBeLessThanOrEqual(TOLERANCE_SECONDS);
    });
  });

  it('uses two distinct voices', async () => {
    const a = await generateEspeakDialogue([{ speaker: 'A', text: 'Hello there' }]);
    const b = await generateEspeakDialogue([{ speaker: 'B', text: 'Hello there' }]);
    expect(Buffer.from(a.wav).equals(Buffer.from(b.wav))).toBe(false);
  });

  it('finds nothing in silence', () => {
    const silence = encodeWav(new Int16Array(16000), 16000);
    expect(wavSpeechRegions(silence)).toEqual([]);
  });
});
