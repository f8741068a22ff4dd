import { existsSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../../src/modules/answers/testing/fake-openai.js';
import { createWidgetOrg, type WidgetOrg } from '../../src/modules/conversations/testing/widget-fixture.js';
import { knowledgeSources } from '../../src/platform/db/schema/index.js';
import { withTenant } from '../../src/platform/db/tenancy.js';
import type { TestApp } from '../../src/testing/test-app.js';
import { addMembers, CHROMIUM, consoleTestApp, seriousAxeViolations, signIn } from './console-helpers.js';

/**
 * Citations as numbered links, in Chromium: an agent answers with a model (a real local server
 * speaking OpenAI's streaming protocol) that cites passages as [1], [2][3] and [1, 2]. While the
 * answer streams, a half-arrived `[1` never shows; the finished answer shows small numbered marks,
 * each named "Source n: <title>", a link (new tab, no opener) for an article with a web address
 * and a plain chip for one without — or with a `javascript:` address, which never becomes a
 * link — and a numbered "Sources" list in marker order. Markup in a title stays text. A marker inside a code span stays text.
 * After a reload the answer, drawn from the stored message, is the same DOM. The console's inbox
 * shows the same numbers and links. No serious axe violation; screenshots at desktop and phone.
 */
const ARTICLES = [
  {
    title: 'Refund timing',
    content: 'Refunds reach your original card within five business days after your return arrives.',
  },
  {
    // Markup in a title is text wherever it shows (the mark's name and tooltip, the list).
    title: 'Return labels <img src=x onerror=alert(1)>',
    content: 'Print a free return label from your account page and drop the parcel at any post office.',
  },
  {
    title: 'Gift card returns',
    content: 'Gift cards can be returned within 14 days of purchase; the refund goes to the buyer.',
  },
];
/** The addresses the articles are read at: a web page, none (an upload), and a hostile one. */
const URLS: Record<string, string | null> = {
  'Refund timing': 'https://help.lumen.example/refunds',
  'Return labels <img src=x onerror=alert(1)>': null,
  'Gift card returns': 'javascript:alert(1)',
};
const ANSWER = [
  'Refunds reach your card within five business days [1',
  '] of your return arriving. Print a free return label from your account page [2][3]; ',
  'keep the code `[1]` handy [1, 2].',
];

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('citations as numbered links (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let fake: FakeOpenAi;
  let org: WidgetOrg;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  /** Passage titles by the number the model was given ([1] is the first passage). */
  let passageTitles: string[] = [];

  beforeAll(async () => {
    fake = await startFakeOpenAi({ deltas: ANSWER, holdAfter: 1 });
    const app = await consoleTestApp({ env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' } });
    t = app.t;
    baseUrl = app.baseUrl;
    org = await createWidgetOrg(t, 'Lumen', { answerMode: 'model' }, ARTICLES);
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/v1/model-provider',
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { baseUrl: fake.baseUrl, model: 'fake-model', apiKey: 'sk-test-123' },
    });
    expect(saved.statusCode).toBe(200);
    await withTenant(t.database, [org.orgId], async (tx) => {
      for (const [title, url] of Object.entries(URLS))
        await tx
          .update(knowledgeSources)
          .set({ url })
          .where(and(eq(knowledgeSources.orgId, org.orgId), eq(knowledgeSources.title, title)));
    });
    await addMembers(t, org.orgId, [['olga@example.com', 'Olga', 'agent']]);
    browser = await app.open();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    // The help centre is not reachable from the test: its page answers locally.
    await context.route('https://help.lumen.example/**', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><title>Refunds</title><p>Refunds</p>',
      }),
    );
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.route(`${baseUrl}/shop`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><head><title>Lumen Lamps</title></head><body><h1>Lumen Lamps</h1><script src="/widget.js" data-agent-key="${org.agentKey}" async></script></body></html>`,
      }),
    );
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
    await fake?.close();
  });

  const answerBubble = () => page.getByRole('log').locator('.msg.assistant').last();
  /** What a title's mark should be: a link to its (safe) address, or a chip. */
  const expectedHref = (title: string) => {
    const url = URLS[title];
    return url?.startsWith('https:') ? url : null;
  };

  /** The marks of an answer: accessible name, and the address when it is a link. */
  const marksOf = (bubble: Locator) =>
    bubble.locator('sup .cite').evaluateAll((marks) =>
      marks.map((m) => ({
        name: m.getAttribute('aria-label') ?? m.querySelector('.sr-only')?.textContent ?? '',
        href: m.getAttribute('href'),
        target: m.getAttribute('target'),
        rel: m.getAttribute('rel'),
        text: m.textContent,
      })),
    );

  it('streams without a raw marker, then shows numbered links to the cited sources', async () => {
    await page.goto(`${baseUrl}/shop`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('dialog').waitFor();
    const input = page.getByRole('textbox', { name: 'Your message' });
    await input.fill('How do refunds and returns work?');
    await input.press('Enter');

    // The model is held after its first delta, which ends in a half marker: it is not shown.
    const streaming = answerBubble();
    await expect.poll(() => streaming.innerText(), { timeout: 15_000 }).toContain('five business days');
    expect(await streaming.innerText()).not.toContain('[');
    fake.release();

    const sources = page.getByRole('log').locator('.sources li');
    await sources.first().waitFor();
    const sent = fake.requests[0]?.body.messages as { role: string; content: string }[] | undefined;
    const system = sent?.[0]?.content ?? '';
    passageTitles = [...system.matchAll(/^\[(\d)\] ([^\n—]+?)(?: — [^\n]*)?$/gm)].map((m) => m[2] ?? '');
    expect([...passageTitles].sort()).toEqual(ARTICLES.map((a) => a.title).sort());

    // Marks in the order written: [1] · [2][3] · [1, 2]; the model's numbers are the sources'
    // positions here (three passages, three articles, cited in order).
    const bubble = answerBubble();
    const mark = (n: number) => {
      const title = passageTitles[n - 1] as string;
      const href = expectedHref(title);
      return {
        name: `Source ${n}: ${title}`,
        href,
        target: href && '_blank',
        rel: href && 'noopener noreferrer',
        text: href ? String(n) : `${n}Source ${n}: ${title}`,
      };
    };
    expect(await marksOf(bubble)).toEqual([mark(1), mark(2), mark(3), mark(1), mark(2)]);
    // No raw marker outside the code span, which keeps its text.
    expect(await bubble.locator('code').allTextContents()).toEqual(['[1]']);
    const prose = await bubble
      .locator('p')
      .first()
      .evaluate((p) => {
        const copy = p.cloneNode(true) as HTMLElement;
        for (const el of copy.querySelectorAll('code, sup')) el.remove();
        return copy.textContent;
      });
    expect(prose).not.toMatch(/[[\]]/);
    expect(prose).toContain('within five business days of your return arriving.');
    // A hostile address is never a link anywhere in the answer, and markup stays text.
    expect(await bubble.locator('a[href^="javascript"]').count()).toBe(0);
    expect(await page.getByRole('log').locator('img').count()).toBe(0);

    // The sources, numbered like the marks, with the host of a web address.
    expect(await sources.allTextContents()).toEqual(
      passageTitles.map((title) => {
        const href = expectedHref(title);
        return href ? `${title} · help.lumen.example` : title;
      }),
    );

    // Keyboard: the link is reachable and opens the article in a new tab.
    const refunds = passageTitles.indexOf('Refund timing') + 1;
    const link = bubble.getByRole('link', { name: `Source ${refunds}: Refund timing` }).first();
    await link.focus();
    const opened = context.waitForEvent('page');
    await page.keyboard.press('Enter');
    const article = await opened;
    await expect.poll(() => article.url(), { timeout: 15_000 }).toBe('https://help.lumen.example/refunds');
    await article.close();

    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/widget-citations.png' });
  });

  it('draws the same answer after a reload, from the stored message', async () => {
    const before = await answerBubble().innerHTML();
    await page.reload();
    await page.getByRole('button', { name: 'Open chat' }).click();
    await answerBubble().locator('.sources').waitFor();
    expect(await answerBubble().innerHTML()).toBe(before);

    await page.setViewportSize({ width: 390, height: 844 });
    await answerBubble().scrollIntoViewIfNeeded();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/widget-citations-phone.png' });
    expect(pageErrors).toEqual([]);
  });

  it('shows the same numbered links in the console inbox', async () => {
    const conversationId = await page.evaluate(
      () =>
        (JSON.parse(Object.values(sessionStorage)[0] ?? '{}') as { conversationId?: string }).conversationId,
    );
    const operator = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const console = await operator.newPage();
    console.setDefaultTimeout(15_000);
    await signIn(console, baseUrl, 'olga@example.com');
    await console.goto(`${baseUrl}/console/o/${org.orgId}/inbox/${conversationId}`);
    const answer = console.getByRole('article', { name: 'AI agent' });
    await answer.getByRole('list', { name: 'Sources' }).waitFor();
    const names = await answer
      .locator('sup .cite')
      .evaluateAll((marks) =>
        marks.map((m) => [
          m.getAttribute('aria-label') ?? m.querySelector('.visually-hidden')?.textContent,
          m.getAttribute('href'),
        ]),
      );
    expect(names).toEqual(
      [1, 2, 3, 1, 2].map((n) => {
        const title = passageTitles[n - 1] as string;
        return [`Source ${n}: ${title}`, expectedHref(title)];
      }),
    );
    expect(await answer.getByRole('list', { name: 'Sources' }).getByRole('listitem').allInnerTexts()).toEqual(
      passageTitles.map((title) => (expectedHref(title) ? `${title} · help.lumen.example` : title)),
    );
    expect(await answer.locator('a[href^="javascript"]').count()).toBe(0);
    expect(await answer.locator('img').count()).toBe(0);
    expect(await seriousAxeViolations(console)).toEqual([]);
    await answer.scrollIntoViewIfNeeded();
    await console.screenshot({ path: '/tmp/console-citations.png' });
    await operator.close();
  });
});
