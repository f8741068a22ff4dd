/**
 * A knowledge passage an answer relies on; `url` only when the article has a public address.
 * `markers`: the `[n]` numbers in the answer's text that cite this source, as the model wrote
 * them (a model answer; empty when the model did not cite it by number). Absent for extractive
 * answers and for answers stored before markers were recorded: see citation-markers.ts.
 */
export type Citation = { sourceId: string; chunkId: string; title: string; url?: string; markers?: number[] };
