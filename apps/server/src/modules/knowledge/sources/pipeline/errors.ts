import { CrawlError } from '../crawler/types.js';
import { ExtractionError } from '../extractors/types.js';

/**
 * Failures of a source that its owner can act on. Their message is shown as the source's `error`
 * and the job does not retry them (the same input fails the same way). Anything else is treated
 * as transient: retried with backoff, and described generically when the retries run out.
 */
export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

/** Thrown between batches when the source was deleted while it was being processed. */
export class SourceGoneError extends Error {
  constructor() {
    super('The source was deleted while it was being processed');
    this.name = 'SourceGoneError';
  }
}

/** The message to show for a failure the owner can act on, or null for a transient failure. */
export function userFacingMessage(error: unknown): string | null {
  if (error instanceof SourceError || error instanceof ExtractionError || error instanceof CrawlError) {
    return error.message;
  }
  return null;
}

/** What a source says when it failed for a reason we cannot put in the owner's terms. */
export const GENERIC_FAILURE =
  'Indexing failed after several attempts because of an internal error; try again later with "Re-index", or delete the source and add it again';
