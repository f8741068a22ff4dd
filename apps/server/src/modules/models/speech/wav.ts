/**
 * Just enough of RIFF/WAVE for speech: reading a PCM file's format and samples (durations for
 * metering, the fake providers' speech detection) and a header for a stream of unknown length
 * (raw PCM from a provider served as WAV).
 */
export type WavInfo = {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Byte offset and length of the sample data. */
  dataOffset: number;
  dataLength: number;
  durationSeconds: number;
};

/** The format of a PCM WAV file, or null when the bytes are not one. */
export function parseWav(bytes: Uint8Array): WavInfo | null {
  if (bytes.length < 12) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 4) !== 'WAVE') return null;
  let offset = 12;
  let format: { channels: number; sampleRate: number; bitsPerSample: number } | null = null;
  while (offset + 8 <= bytes.length) {
    const id = ascii(bytes, offset, 4);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ' && body + 16 <= bytes.length) {
      const audioFormat = view.getUint16(body, true);
      if (audioFormat !== 1 && audioFormat !== 0xfffe) return null;
      format = {
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === 'data' && format) {
      // A streamed WAV may declare 0xFFFFFFFF: the data runs to the end of the file.
      const dataLength = Math.min(size, bytes.length - body);
      const bytesPerSecond = format.sampleRate * format.channels * (format.bitsPerSample / 8);
      if (!bytesPerSecond) return null;
      return { ...format, dataOffset: body, dataLength, durationSeconds: dataLength / bytesPerSecond };
    }
    offset = body + size + (size % 2);
  }
  return null;
}

/** The length in seconds of a PCM WAV file, or null when the bytes are not one. */
export const wavDurationSeconds = (bytes: Uint8Array): number | null =>
  parseWav(bytes)?.durationSeconds ?? null;

/** Mono samples in [-1, 1] of a 16-bit PCM WAV (channels averaged), or null for other files. */
export function wavSamples(bytes: Uint8Array): { sampleRate: number; samples: Float32Array } | null {
  const info = parseWav(bytes);
  if (info?.bitsPerSample !== 16) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset + info.dataOffset, info.dataLength);
  const frames = Math.floor(info.dataLength / (2 * info.channels));
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < info.channels; c++) sum += view.getInt16((i * info.channels + c) * 2, true);
    samples[i] = sum / info.channels / 32768;
  }
  return { sampleRate: info.sampleRate, samples };
}

/**
 * A 44-byte header for 16-bit PCM of `dataLength` bytes; unknown length (a stream): the sizes
 * say 0xFFFFFFFF, which players read as "until the end".
 */
export function wavHeader(sampleRate: number, channels = 1, dataLength?: number): Uint8Array {
  const header = new Uint8Array(44);
  const view = new DataView(header.buffer);
  const write = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) header[offset + i] = text.charCodeAt(i);
  };
  const unknown = 0xffffffff;
  write(0, 'RIFF');
  view.setUint32(4, dataLength === undefined ? unknown : 36 + dataLength, true);
  write(8, 'WAVE');
  write(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  write(36, 'data');
  view.setUint32(40, dataLength === undefined ? unknown : dataLength, true);
  return header;
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

/**
 * A 16-bit mono WAV of `durationSeconds` that is silent except for a tone during each region
 * (seconds): stands in for speech where only "when is someone talking" matters (the fake
 * providers' speech detection, the connection test's clip).
 */
export function toneWav(options: {
  durationSeconds: number;
  regions: readonly { start: number; end: number }[];
  sampleRate?: number;
  frequency?: number;
}): Uint8Array {
  const sampleRate = options.sampleRate ?? 16_000;
  const frequency = options.frequency ?? 220;
  const frames = Math.round(options.durationSeconds * sampleRate);
  const bytes = new Uint8Array(44 + frames * 2);
  bytes.set(wavHeader(sampleRate, 1, frames * 2), 0);
  const view = new DataView(bytes.buffer, 44);
  for (const region of options.regions) {
    const from = Math.max(0, Math.round(region.start * sampleRate));
    const to = Math.min(frames, Math.round(region.end * sampleRate));
    for (let i = from; i < to; i++) {
      view.setInt16(i * 2, Math.round(Math.sin((2 * Math.PI * frequency * i) / sampleRate) * 12_000), true);
    }
  }
  return bytes;
}
