/**
 * Article-level ranking metrics with binary relevance. A system's answer to a question is its
 * ranked list of chunks mapped to their articles, duplicates removed keeping the first (best)
 * occurrence. Pure functions.
 *
 * - recall@k: the share of questions with a relevant article among the first k (with two
 *   acceptable articles, finding either counts);
 * - MRR@10: mean reciprocal rank of the first relevant article within the first 10 (0 if none);
 * - nDCG@10: Σ rel_i / log2(i + 1) over the first 10, divided by the ideal (all relevant first).
 */
export type Metrics = { recallAt1: number; recallAt5: number; mrrAt10: number; ndcgAt10: number };

/** Article ids in rank order, each once (first occurrence kept). */
export function dedupeArticles(ranked: readonly string[]): string[] {
  return [...new Set(ranked)];
}

export function scoreQuestion(articles: readonly string[], relevant: readonly string[]): Metrics {
  const top = articles.slice(0, 10);
  const first = top.findIndex((a) => relevant.includes(a));
  let dcg = 0;
  top.forEach((a, i) => {
    if (relevant.includes(a)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(relevant.length, 10); i++) ideal += 1 / Math.log2(i + 2);
  return {
    recallAt1: first === 0 ? 1 : 0,
    recallAt5: first >= 0 && first < 5 ? 1 : 0,
    mrrAt10: first >= 0 ? 1 / (first + 1) : 0,
    ndcgAt10: ideal > 0 ? dcg / ideal : 0,
  };
}

export function meanMetrics(all: readonly Metrics[]): Metrics {
  const mean = (pick: (m: Metrics) => number) =>
    all.length === 0 ? 0 : Math.round((all.reduce((s, m) => s + pick(m), 0) / all.length) * 10_000) / 10_000;
  return {
    recallAt1: mean((m) => m.recallAt1),
    recallAt5: mean((m) => m.recallAt5),
    mrrAt10: mean((m) => m.mrrAt10),
    ndcgAt10: mean((m) => m.ndcgAt10),
  };
}
