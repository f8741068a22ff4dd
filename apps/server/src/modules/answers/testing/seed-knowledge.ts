import { and, eq } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import { knowledgeChunks, knowledgeSources } from '../../../db/schema/index.js';
import { withTenant } from '../../../db/tenancy.js';
import type { HelpArticle } from './help-center.js';

/**
 * Test helper: stores articles as ready knowledge sources, one chunk per `##` section (the
 * article's lead paragraph is a chunk of its own), the way the knowledge module's heading-aware
 * chunker cuts them. Writes through withTenant like any tenant code.
 */
export async function seedKnowledge(
  database: Database,
  orgId: string,
  articles: HelpArticle[],
): Promise<Map<string, string>> {
  const sourceIds = new Map<string, string>();
  await withTenant(database, [orgId], async (tx) => {
    for (const article of articles) {
      const [source] = await tx
        .insert(knowledgeSources)
        .values({
          orgId,
          type: 'text',
          title: article.title,
          content: article.content,
          byteSize: Buffer.byteLength(article.content),
          status: 'ready',
        })
        .returning({ id: knowledgeSources.id });
      sourceIds.set(article.title, source!.id);
      const sections = cutSections(article.content);
      await tx.insert(knowledgeChunks).values(
        sections.map((s, ordinal) => ({
          orgId,
          sourceId: source!.id,
          ordinal,
          title: article.title,
          headingPath: s.heading,
          content: s.body,
        })),
      );
      await tx
        .update(knowledgeSources)
        .set({ chunksDone: sections.length, chunksTotal: sections.length })
        .where(and(eq(knowledgeSources.orgId, orgId), eq(knowledgeSources.id, source!.id)));
    }
  });
  return sourceIds;
}

function cutSections(markdown: string): { heading: string; body: string }[] {
  const out: { heading: string; body: string }[] = [];
  let heading = '';
  let body: string[] = [];
  const flush = () => {
    const text = body.join('\n').trim();
    if (text) out.push({ heading, body: text });
    body = [];
  };
  for (const line of markdown.split('\n')) {
    if (/^# /.test(line)) continue;
    const h2 = /^## (.+)$/.exec(line);
    if (h2) {
      flush();
      heading = h2[1]!.trim();
    } else body.push(line);
  }
  flush();
  return out;
}
