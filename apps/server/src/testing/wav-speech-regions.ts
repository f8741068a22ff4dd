import { parseWav } from './wav-pcm.js';

/**
 * Test helper: where speech is in a 16-bit PCM WAV, by frame energy (a tiny voice activity
 * detector, enough for clean synthetic audio such as espeak-dialogue.ts). A fake transcription
 * server uses it so segment timestamps come from the audio it was sent.
 *
 * Frames of `frameSeconds` whose RMS exceeds `threshold` (absolute, in 16-bit units) are speech;
 * pauses shorter than `minSilenceSeconds` inside speech are bridged (between words); regions
 * shorter than `minSpeechSeconds` are dropped (clicks). A region's start/end are refined to the
 * first/last sample above the threshold, so they are accurate to well under a frame.
 * Overlapping talkers are one region (energy cannot tell voices apart).
 */
export type SpeechRegion = { start: number; end: number };

export type SpeechRegionOptions = {
  frameSeconds?: number;
  threshold?: number;
  minSilenceSeconds?: number;
  minSpeechSeconds?: number;
};

export function wavSpeechRegions(wav: Uint8Array, options: SpeechRegionOptions = {}): SpeechRegion[] {
  const { frameSeconds = 0.01, threshold = 300, minSilenceSeconds = 0.45, minSpeechSeconds = 0.1 } = options;
  const audio = parseWav(wav);
  const mono = downmix(audio.samples, audio.channels);
  const rate = audio.sampleRate;
  const frame = Math.max(1, Math.round(frameSeconds * rate));
  const frames = Math.ceil(mono.length / frame);
  const voiced: boolean[] = [];
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    const end = Math.min(mono.length, (f + 1) * frame);
    for (let i = f * frame; i < end; i++) sum += mono[i]! * mono[i]!;
    voiced.push(Math.sqrt(sum / Math.max(1, end - f * frame)) > threshold);
  }
  const regions: { from: number; to: number }[] = [];
  const bridge = Math.round(minSilenceSeconds / frameSeconds);
  for (let f = 0; f < frames; f++) {
    if (!voiced[f]) continue;
    const last = regions.at(-1);
    if (last && f - last.to - 1 < bridge) last.to = f;
    else regions.push({ from: f, to: f });
  }
  return regions
    .map(({ from, to }) => {
      let first = from * frame;
      const stop = Math.min(mono.length, (to + 1) * frame);
      while (first < stop && Math.abs(mono[first]!) < threshold / 2) first++;
      let last = stop - 1;
      while (last > first && Math.abs(mono[last]!) < threshold / 2) last--;
      return { start: first / rate, end: (last + 1) / rate };
    })
    .filter((r) => r.end - r.start >= minSpeechSeconds);
}

function downmix(samples: Int16Array, channels: number): Float64Array {
  const out = new Float64Array(Math.floor(samples.length / channels));
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[i * channels + c]!;
    out[i] = sum / channels;
  }
  return out;
}
