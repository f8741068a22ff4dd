// Diagnostics for the answerer (not the eval): `tsx bench/answers-eval/diagnose.ts [--held-out] [--q=text] [--out=file]`
// writes, per question, its outcome, query terms and the ranked passages with their features (JSON lines).
import { writeFileSync } from 'node:fs';
import { composeExtractiveAnswer } from '../../apps/server/src/modules/answers/extractive.js';
import { type RankedPassage, retrievePassages } from '../../apps/server/src/modules/answers/retrieval.js';
import { withTenant } from '../../apps/server/src/platform/db/tenancy.js';
import { createTestApp } from '../../apps/server/src/testing/test-app.js';
import { heldOutFiles, loadArticles, loadOffTopic, loadQuestions } from './dataset.js';
import { containsFact } from './judge.js';

/** Diagnostics (not part of the eval): per question, the retrieval's passages and features as JSON lines. */
async function main() {
  const heldOut = process.argv.includes('--held-out');
  const out = process.argv.find((a) => a.startsWith('--out='))?.slice(6) ?? '/tmp/diag.jsonl';
  const only = process.argv.find((a) => a.startsWith('--q='))?.slice(4);
  const articles = loadArticles();
  let questions = heldOut ? loadQuestions(heldOutFiles.questions) : loadQuestions();
  let offTopic = heldOut ? loadOffTopic(heldOutFiles.offTopic) : loadOffTopic();
  if (only) {
    questions = questions.filter((q) => q.text.includes(only));
    offTopic = offTopic.filter((q) => q.text.includes(only));
  }
  const t = await createTestApp({ kind: 'pglite' });
  const { apiKey, orgId } = await t.createOrg('Cairnline');
  const articleOf = new Map<string, string>();
  for (const a of articles) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/knowledge/sources',
      headers: { authorization: `Bearer ${apiKey}` },
      payload: { type: 'text', title: a.title, content: a.content },
    });
    articleOf.set(res.json().id, a.id);
  }
  for (const id of articleOf.keys()) await t.waitForSource(apiKey, id);
  const lines: string[] = [];
  const all = [
    ...questions.map((q) => ({ q: q.text, article: q.article, facts: q.facts })),
    ...offTopic.map((q) => ({ q: q.text, article: null, facts: [] as string[] })),
  ];
  for (const item of all) {
    const r = await withTenant(t.database, [orgId], (tx) => retrievePassages(tx, orgId, item.q, 5));
    const answer = composeExtractiveAnswer(r, item.q);
    const cited = answer?.citations.map((c) => articleOf.get(c.sourceId)) ?? [];
    const outcome = !item.article
      ? answer
        ? 'offtopic-answered'
        : 'offtopic-declined'
      : !answer
        ? 'declined'
        : !cited.includes(item.article)
          ? 'wrong-article'
          : containsFact(answer.text, item.facts)
            ? 'correct'
            : 'fact-missing';
    lines.push(
      JSON.stringify({
        q: item.q,
        article: item.article,
        outcome,
        cited,
        text: answer?.text.slice(0, 160),
        terms: r.passages[0]?.terms.map(
          (x) => `${x.lexemes.join('|')}:${x.idf.toFixed(2)}${x.repairCost ? `~${x.repairCost}` : ''}`,
        ),
        tt: r.passages[0]?.terms.map((x) => ({
          l: x.lexemes[0],
          w: +x.weight.toFixed(2),
          df: x.df,
          n: x.chunks,
          p: !!(x.inTitle || x.inHeading || x.inBody),
          s: !!x.inSource,
          h: !!x.inHeading,
          r: x.repairCost,
        })),
        sent: r.passages[0] ? sentenceShares(r.passages[0]) : null,
        passages: r.passages.map((p) => ({
          a: articleOf.get(p.sourceId),
          h: p.headingPath,
          cov: +p.coverage.toFixed(3),
          inf: p.informative,
          str: +p.strength.toFixed(3),
          m: p.matched,
          f: item.facts.length > 0 && containsFact(p.content, item.facts),
        })),
      }),
    );
  }
  writeFileSync(out, `${lines.join('\n')}\n`);
  await t.close();
}
/** Per passage: the best sentence's share of the question's weight (alone, and with its own heading). */
function sentenceShares(p: RankedPassage) {
  const w = p.terms.map((t) => Math.max(t.idf, 1));
  const total = w.reduce((a, b) => a + b, 0) || 1;
  let alone = 0;
  let withHeading = 0;
  for (const s of p.sentences) {
    const a = s.terms.reduce((sum, i) => sum + (w[i] ?? 0), 0);
    const h = p.terms.reduce(
      (sum, t, i) => sum + (s.terms.includes(i) || t.inOwnHeading ? (w[i] ?? 0) : 0),
      0,
    );
    alone = Math.max(alone, a / total);
    withHeading = Math.max(withHeading, h / total);
  }
  const passage = p.matched.reduce((sum, i) => sum + (w[i] ?? 0), 0) / total;
  return { alone: +alone.toFixed(3), withHeading: +withHeading.toFixed(3), passage: +passage.toFixed(3) };
}
await main();
