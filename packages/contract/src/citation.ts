/** A knowledge passage an answer relies on; `url` only when the article has a public address. */
export type Citation = { sourceId: string; chunkId: string; title: string; url?: string };
