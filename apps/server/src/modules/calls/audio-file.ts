import { fileTypeFromBuffer } from 'file-type';
import { parseBuffer } from 'music-metadata';
import { AppError } from '../../platform/errors.js';

/**
 * What an uploaded recording is, decided from its bytes alone (the file name and the declared
 * type are never trusted): the container is sniffed with `file-type`, the duration read from the
 * file with `music-metadata`. Anything that is not one of the accepted audio containers is a 415
 * whatever its extension; a recording whose duration cannot be read is a 400; one over the
 * limits a 413. Used by the API and the CLI alike, before anything is stored.
 */
export const ACCEPTED_AUDIO = 'mp3, wav, m4a (MPEG-4 audio), ogg or webm';

/** Sniffed extension → the media type calls are stored and served with. */
const mediaTypes: Record<string, string> = {
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  m4a: 'audio/mp4',
  mp4: 'audio/mp4',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  webm: 'audio/webm',
};

export type SniffedAudio = { mediaType: string; extension: string; durationSeconds: number };

export type AudioLimits = { maxBytes: number; maxDurationSeconds: number };

export async function sniffAudio(bytes: Uint8Array, limits: AudioLimits): Promise<SniffedAudio> {
  if (bytes.length === 0) throw new AppError('bad_request', 'The file is empty');
  if (bytes.length > limits.maxBytes) {
    throw new AppError(
      'payload_too_large',
      `The recording is ${bytes.length} bytes; the limit is ${limits.maxBytes} bytes`,
    );
  }
  const type = await fileTypeFromBuffer(bytes).catch(() => undefined);
  const mediaType = type ? mediaTypes[type.ext] : undefined;
  if (!type || !mediaType) {
    throw new AppError(
      'unsupported_media_type',
      `The file is not a supported recording (${ACCEPTED_AUDIO}); its content was detected as ${type ? type.mime : 'an unknown type'}`,
    );
  }
  let durationSeconds: number | undefined;
  try {
    const metadata = await parseBuffer(
      bytes,
      { mimeType: type.mime, size: bytes.length },
      { duration: true },
    );
    durationSeconds = metadata.format.duration;
  } catch {
    durationSeconds = undefined;
  }
  if (durationSeconds === undefined || !Number.isFinite(durationSeconds) || durationSeconds <= 0) {
    throw new AppError(
      'bad_request',
      'The duration of the recording could not be read from the file (it may be damaged or truncated)',
    );
  }
  if (durationSeconds > limits.maxDurationSeconds) {
    throw new AppError(
      'payload_too_large',
      `The recording is ${Math.ceil(durationSeconds)} seconds long; the limit is ${limits.maxDurationSeconds} seconds`,
    );
  }
  return { mediaType, extension: type.ext, durationSeconds };
}
