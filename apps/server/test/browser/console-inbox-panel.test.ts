import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvents } from '../../src/modules/conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  SITE,
  sendMessage,
  type WidgetOrg,
} from '../../src/modules/conversations/testing/widget-fixture.js';
import { conversations } from '../../src/platform/db/schema/index.js';
import { withTenant } from '../../src/platform/db/tenancy.js';
import type { TestApp } from '../../src/testing/test-app.js';
import { addMembers, CHROMIUM, consoleTestApp, seriousAxeViolations, signIn } from './console-helpers.js';

/**
 * The inbox around the transcript, in Chromium: the visitor panel (where the chat started, the
 * email left with consent, the earlier conversation of the same visitor linked; nothing for an
 * anonymous visitor), search by a word of the messages, the phone layout (list → conversation →
 * back, the panel as a drawer), and desktop notifications for a conversation that starts
 * waiting (permission granted through the context; window.Notification wrapped to observe).
 */
type Visit = { conversationId: string; token: string };

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: inbox panel (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let org: WidgetOrg;
  let browser: Browser;
  let counter = 0;
  let earlier: Visit;
  let latest: Visit;
  let anonymous: Visit;
  const problems: string[] = [];

  const start = async (page: string, language = 'en-GB'): Promise<Visit> => {
    const res = await fetch(`${baseUrl}/v1/widget/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SITE, 'accept-language': language },
      body: JSON.stringify({ agentKey: org.agentKey, page: `${SITE}${page}` }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as Visit;
  };
  const say = async (visit: Visit, text: string) =>
    readEvents(
      await sendMessage(baseUrl, visit.conversationId, visit.token, {
        text,
        clientMessageId: `m-${++counter}`,
      }),
    );
  const leaveEmail = async (visit: Visit, email: string) => {
    const res = await fetch(`${baseUrl}/v1/widget/conversations/${visit.conversationId}/contact`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SITE, authorization: `Bearer ${visit.token}` },
      body: JSON.stringify({ email, consent: true, purpose: 'reply_by_email' }),
    });
    expect(res.status).toBe(204);
  };

  const openConsole = async (
    options: { viewport?: { width: number; height: number }; init?: () => void } = {},
  ): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1360, height: 860 },
      permissions: ['notifications'],
    });
    if (options.init) await context.addInitScript(options.init);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => problems.push(`page error: ${e}`));
    await signIn(page, baseUrl, 'olga@example.com');
    return { context, page };
  };
  const conversationUrl = (visit: Visit) =>
    `${baseUrl}/console/o/${org.orgId}/inbox/${visit.conversationId}?view=all`;
  const label = (visit: Visit) => `Visitor ${visit.conversationId.slice(0, 4).toUpperCase()}`;

  beforeAll(async () => {
    const app = await consoleTestApp();
    ({ t, baseUrl } = app);
    org = await createWidgetOrg(t, 'Lumen', {}, []);
    await addMembers(t, org.orgId, [['olga@example.com', 'Olga', 'agent']]);
    browser = await app.open();

    earlier = await start('/shipping');
    await say(earlier, 'Do you ship kayaks to Norway?');
    await leaveEmail(earlier, 'ann@example.com');
    latest = await start('/orders/track', 'de-CH');
    await say(latest, 'My parcel has not arrived yet');
    await leaveEmail(latest, 'ann@example.com');
    anonymous = await start('/gift-cards');
    await say(anonymous, 'Do you sell gift cards?');
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the visitor panel: consented email, where it started, the earlier conversation linked', async () => {
    const { context, page } = await openConsole();
    await page.goto(conversationUrl(latest));
    const panel = page.getByRole('complementary', { name: 'Visitor' });
    await panel.getByRole('link', { name: 'ann@example.com' }).waitFor();
    await panel.getByText('Left with consent, for a reply by email.').waitFor();
    await panel.getByRole('link', { name: '/orders/track' }).waitFor();
    await panel.getByText(SITE).waitFor();
    await panel.getByText(/German/).waitFor();
    await panel.getByText('Lumen helper').waitFor();
    const past = panel.getByRole('list', { name: 'Past conversations' });
    const pastLink = past.getByRole('link', { name: new RegExp(label(earlier)) });
    await pastLink.waitFor();
    expect(await past.getByRole('link').count()).toBe(1);
    await pastLink.getByText('Do you ship kayaks to Norway?').waitFor();

    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-inbox-panel-desktop.png' });

    // The link opens the earlier conversation, whose panel links back.
    await pastLink.click();
    await page.getByRole('region', { name: `Conversation with ${label(earlier)}` }).waitFor();
    await page
      .getByRole('region', { name: `Conversation with ${label(earlier)}` })
      .getByText('Do you ship kayaks to Norway?')
      .waitFor();
    await panel.getByRole('link', { name: new RegExp(label(latest)) }).waitFor();

    // An anonymous visitor: no contact shown, nothing linked.
    await page.goto(conversationUrl(anonymous));
    await panel.getByText('No contact details: the visitor has not left any with consent.').waitFor();
    await panel.getByText(/Conversations are linked only when the visitor leaves the same email/).waitFor();
    expect(await page.getByText('ann@example.com').count()).toBe(0);
    expect(await panel.getByRole('link', { name: /@/ }).count()).toBe(0);

    // Collapsible: the toggle hides the panel and shows it again.
    const toggle = page.getByRole('button', { name: 'Visitor details', exact: true });
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await toggle.click();
    await panel.waitFor({ state: 'detached' });
    await toggle.click();
    await panel.waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('searches conversations by a word from their messages, with the query kept in the URL', async () => {
    const { context, page } = await openConsole();
    await page.goto(`${baseUrl}/console/o/${org.orgId}/inbox?view=all`);
    const all = page.getByRole('list', { name: 'All' });
    await expect.poll(() => all.getByRole('link').count()).toBe(3);
    // Keyboard first: s moves to the search box.
    await page.keyboard.press('s');
    const searchBox = page.getByRole('searchbox', { name: 'Search conversations' });
    expect(await searchBox.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('kayaks');
    const matching = page.getByRole('list', { name: 'All matching kayaks' });
    await matching.waitFor();
    await expect.poll(() => matching.getByRole('link').count()).toBe(1);
    await matching.getByRole('link', { name: new RegExp(label(earlier)) }).click();
    await page.getByRole('region', { name: `Conversation with ${label(earlier)}` }).waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('kayaks');
    // Live while searching: a new conversation that matches appears without a reload.
    const another = await start('/kayaks');
    await say(another, 'Which kayaks fit two people?');
    await matching.getByRole('link', { name: new RegExp(label(another)) }).waitFor();
    expect(await matching.getByRole('link').count()).toBe(2);
    await page.getByRole('searchbox', { name: 'Search conversations' }).fill('no such words anywhere');
    await page.getByText('No conversations match').waitFor();
    await context.close();
  });

  it('at 375 px: the list, then the conversation with a usable reply box and the panel as a drawer, then back', async () => {
    const { context, page } = await openConsole({ viewport: { width: 375, height: 740 } });
    await page.goto(`${baseUrl}/console/o/${org.orgId}/inbox?view=all`);
    const list = page.getByRole('list', { name: 'All' });
    await list.getByRole('link', { name: new RegExp(label(latest)) }).click();
    const pane = page.getByRole('region', { name: `Conversation with ${label(latest)}` });
    await pane.getByText('My parcel has not arrived yet').waitFor();
    expect(await list.isVisible()).toBe(false);
    const reply = page.getByRole('textbox', { name: 'Reply' });
    await reply.fill('Let me check that for you.');
    const box = await reply.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 375).toBe(true);
    expect(await page.getByRole('button', { name: 'Send' }).isVisible()).toBe(true);
    await page.screenshot({ path: '/tmp/console-inbox-panel-phone-conversation.png' });
    // Nothing wider than the phone: no sideways scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    // The panel is a drawer here, closed until asked for; focus moves in, Escape closes it.
    const panel = page.getByRole('complementary', { name: 'Visitor' });
    expect(await panel.count()).toBe(0);
    await page.getByRole('button', { name: 'Visitor details', exact: true }).click();
    await panel.getByRole('link', { name: 'ann@example.com' }).waitFor();
    await page.screenshot({ path: '/tmp/console-inbox-panel-phone-drawer.png' });
    expect(await seriousAxeViolations(page)).toEqual([]);
    // Tab goes round the drawer's own controls and never reaches the page behind it.
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => !!document.activeElement?.closest('#visitor-panel'))).toBe(true);
    }
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('#visitor-panel'))).toBe(true);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });

    await page.getByRole('link', { name: 'All conversations' }).click();
    await list.waitFor();
    expect(await pane.count()).toBe(0);
    await page.screenshot({ path: '/tmp/console-inbox-panel-phone-list.png' });
    await context.close();
  });

  it('asks for notification permission on the switch and notifies when a conversation starts waiting', async () => {
    const { context, page } = await openConsole({
      init: () => {
        const Original = window.Notification;
        const seen = { requests: 0, created: [] as { title: string; body: string | undefined }[] };
        (window as unknown as { __notifications: typeof seen }).__notifications = seen;
        class Recorded extends Original {
          constructor(title: string, options?: NotificationOptions) {
            seen.created.push({ title, body: options?.body });
            super(title, options);
            (window as unknown as { __lastNotification: Notification }).__lastNotification = this;
          }
          static override get permission() {
            return Original.permission;
          }
          static override requestPermission() {
            seen.requests += 1;
            return Original.requestPermission();
          }
        }
        window.Notification = Recorded as typeof Notification;
      },
    });
    const seen = () =>
      page.evaluate(
        () =>
          (window as unknown as { __notifications: { requests: number; created: { title: string }[] } })
            .__notifications,
      );
    // Another conversation is open: a new waiting one is worth a notification.
    await page.goto(conversationUrl(anonymous));
    await page.getByRole('region', { name: `Conversation with ${label(anonymous)}` }).waitFor();
    expect((await seen()).requests).toBe(0);

    await page.getByRole('button', { name: 'Notifications' }).click();
    const desktop = page.getByRole('switch', { name: 'Desktop notifications' });
    expect(await desktop.getAttribute('aria-checked')).toBe('false');
    await desktop.click();
    await expect.poll(() => desktop.getAttribute('aria-checked')).toBe('true');
    expect((await seen()).requests).toBe(1);
    const sound = page.getByRole('switch', { name: 'Sound' });
    await sound.click();
    await expect.poll(() => sound.getAttribute('aria-checked')).toBe('true');
    await page.screenshot({ path: '/tmp/console-inbox-notifications.png' });
    await page.keyboard.press('Escape');
    await desktop.waitFor({ state: 'detached' });

    // The choice is kept for this person across reloads.
    await page.reload();
    await page.getByRole('button', { name: 'Notifications' }).click();
    expect(await desktop.getAttribute('aria-checked')).toBe('true');
    await page.keyboard.press('Escape');

    const visit = await start('/contact');
    await say(visit, 'Can I talk to a human please?');
    await expect
      .poll(async () => (await seen()).created.map((n) => n.title))
      .toContain('A visitor is waiting for a person');
    const created = (await seen()).created;
    expect(JSON.stringify(created)).not.toContain('talk to a human');
    expect(JSON.stringify(created)).toContain(label(visit));
    // Clicking it (as the OS would) opens that conversation.
    await page.evaluate(() => {
      const n = (window as unknown as { __lastNotification: Notification }).__lastNotification;
      n.onclick?.(new Event('click'));
    });
    await page.getByRole('region', { name: `Conversation with ${label(visit)}` }).waitFor();
    expect(new URL(page.url()).pathname).toContain(visit.conversationId);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('pages a long list with "Load more conversations"', async () => {
    // Fixture rows straight in the database: 55 closed conversations, more than one page of 50.
    await withTenant(t.database, [org.orgId], (tx) =>
      tx.insert(conversations).values(
        Array.from({ length: 55 }, () => ({
          orgId: org.orgId,
          agentId: org.agentId,
          status: 'closed' as const,
        })),
      ),
    );
    const { context, page } = await openConsole();
    await page.goto(`${baseUrl}/console/o/${org.orgId}/inbox?view=closed`);
    const closed = page.getByRole('list', { name: 'Closed' });
    await expect.poll(() => closed.getByRole('link').count()).toBe(50);
    const more = page.getByRole('button', { name: 'Load more conversations' });
    await more.click();
    await expect.poll(() => closed.getByRole('link').count()).toBe(55);
    await more.waitFor({ state: 'detached' });
    await context.close();
  });
});
