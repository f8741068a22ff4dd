import { existsSync } from 'node:fs';
import path from 'node:path';
import { contrastRatio, readableTextOn } from '@confidant/contract/contrast';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { multipart } from '../knowledge/testing/file-upload-kit.js';

/** Tiny but real image headers: the server sniffs the first bytes, it does not decode. */
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3, 4]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
const WEBP = new TextEncoder().encode('RIFF\u0010\u0000\u0000\u0000WEBPVP8 ');
const SITE = 'https://shop.example';

describe('accent text colour', () => {
  it('is white or black, whichever meets WCAG AA (4.5:1), for any accent', () => {
    expect(readableTextOn('#0f766e')).toBe('#ffffff');
    expect(readableTextOn('#fde047')).toBe('#000000');
    for (let v = 0; v < 256; v += 5) {
      for (const hex of [
        `#${v.toString(16).padStart(2, '0').repeat(3)}`,
        `#${v.toString(16).padStart(2, '0')}8040`,
        `#40${v.toString(16).padStart(2, '0')}c0`,
      ]) {
        expect(contrastRatio(hex, readableTextOn(hex))).toBeGreaterThanOrEqual(4.5);
      }
    }
  });
});

describe.each(testDatabaseKinds)('agent appearance on %s', (kind) => {
  let t: TestApp;
  let org: { orgId: string; apiKey: string };
  let other: { orgId: string; apiKey: string };
  let agent: { id: string; publishableKey: string };
  beforeAll(async () => {
    t = await createTestApp({ kind });
    org = await t.createOrg('Acme');
    other = await t.createOrg('Other');
    agent = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/agents',
        headers: { authorization: `Bearer ${org.apiKey}` },
        payload: { name: 'Helper', allowedOrigins: [SITE] },
      })
    ).json();
  });
  afterAll(() => t?.close());

  const call = (key: string, method: 'GET' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(payload ? { payload } : {}),
    });
  const upload = (key: string, id: string, data: Uint8Array, fileName = 'avatar.png') => {
    const body = multipart([{ name: 'file', filename: fileName, data }]);
    return t.app.inject({
      method: 'PUT',
      url: `/v1/agents/${id}/avatar`,
      headers: { authorization: `Bearer ${key}`, ...body.headers },
      payload: body.payload,
    });
  };
  const config = async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/widget/config?agentKey=${agent.publishableKey}`,
      headers: { origin: SITE },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().appearance;
  };

  it('has defaults, and the widget config carries them with a readable text colour', async () => {
    expect(await config()).toEqual({
      accentColor: '#0f766e',
      accentTextColor: '#ffffff',
      position: 'bottom-right',
      launcherLabel: null,
      avatarUrl: null,
    });
  });

  it('changes accent, position and label through PATCH, and the widget config follows', async () => {
    const res = await call(org.apiKey, 'PATCH', `/v1/agents/${agent.id}`, {
      accentColor: '#FDE047',
      position: 'bottom-left',
      launcherLabel: '  Chat with us ',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      accentColor: '#fde047',
      position: 'bottom-left',
      launcherLabel: 'Chat with us',
    });
    expect(await config()).toMatchObject({
      accentColor: '#fde047',
      accentTextColor: '#000000',
      position: 'bottom-left',
      launcherLabel: 'Chat with us',
    });
    const cleared = await call(org.apiKey, 'PATCH', `/v1/agents/${agent.id}`, { launcherLabel: null });
    expect(cleared.json().launcherLabel).toBeNull();
  });

  it.each([
    ['accentColor', 'teal'],
    ['accentColor', '#0f766'],
    ['accentColor', 'url(https://evil.example)'],
    ['position', 'top-left'],
    ['launcherLabel', 'x'.repeat(41)],
    ['launcherLabel', '   '],
  ])('refuses %s = %j with a 400 naming the field', async (field, value) => {
    const res = await call(org.apiKey, 'PATCH', `/v1/agents/${agent.id}`, { [field]: value });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(res.json().issues)).toContain(field);
  });

  it('stores an avatar sniffed from its bytes, serves it from this server with long caching, and audits ids only', async () => {
    // A PNG named .txt is still a PNG.
    const res = await upload(org.apiKey, agent.id, PNG, 'notes.txt');
    expect(res.statusCode, res.body).toBe(200);
    const url: string = res.json().avatarUrl;
    expect(url).toMatch(new RegExp(`^/v1/widget/avatars/${agent.publishableKey}/[0-9a-f]{64}$`));
    expect((await config()).avatarUrl).toBe(url);

    const image = await t.app.inject({ method: 'GET', url });
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(image.headers['x-content-type-options']).toBe('nosniff');
    expect(image.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(new Uint8Array(image.rawPayload)).toEqual(PNG);

    // Replacing it serves the new one under a new URL; the old URL is gone.
    const jpeg = await upload(org.apiKey, agent.id, JPEG, 'me.png');
    expect(jpeg.statusCode).toBe(200);
    expect(jpeg.json().avatarUrl).not.toBe(url);
    expect((await t.app.inject({ method: 'GET', url: jpeg.json().avatarUrl })).headers['content-type']).toBe(
      'image/jpeg',
    );
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(404);
    const webp = await upload(org.apiKey, agent.id, WEBP);
    expect(webp.statusCode).toBe(200);

    const audit = await t.app.inject({
      method: 'GET',
      url: '/v1/audit?action=agent.avatar_set',
      headers: { authorization: `Bearer ${org.apiKey}` },
    });
    expect(audit.statusCode, audit.body).toBe(200);
    const entries = audit.json().entries as { targetId: string; metadata: unknown }[];
    expect(entries.length).toBe(3);
    expect(entries.every((e) => e.targetId === agent.id)).toBe(true);
    expect(JSON.stringify(entries)).not.toContain('notes.txt');

    const removed = await call(org.apiKey, 'DELETE', `/v1/agents/${agent.id}/avatar`);
    expect(removed.statusCode).toBe(200);
    expect(removed.json().avatarUrl).toBeNull();
    expect((await config()).avatarUrl).toBeNull();
    expect((await t.app.inject({ method: 'GET', url: webp.json().avatarUrl })).statusCode).toBe(404);
  });

  it('refuses what is not a PNG, JPEG or WebP (415), too large (413), or not multipart', async () => {
    const gif = await upload(org.apiKey, agent.id, new TextEncoder().encode('GIF89a....'), 'a.png');
    expect(gif.statusCode).toBe(415);
    expect(gif.json().detail).toMatch(/PNG, JPEG or WebP/);
    const svg = await upload(
      org.apiKey,
      agent.id,
      new TextEncoder().encode('<svg onload="alert(1)"/>'),
      'a.svg',
    );
    expect(svg.statusCode).toBe(415);

    const big = new Uint8Array(256 * 1024 + 1);
    big.set(PNG);
    const tooLarge = await upload(org.apiKey, agent.id, big);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.headers['content-type']).toContain('application/problem+json');

    for (const parts of [
      [
        { name: 'file', filename: 'a.png', data: PNG },
        { name: 'file', filename: 'b.png', data: PNG },
      ],
      [
        { name: 'title', data: 'x' },
        { name: 'file', filename: 'a.png', data: PNG },
      ],
      [{ name: 'image', filename: 'a.png', data: PNG }],
    ]) {
      const body = multipart(parts);
      const res = await t.app.inject({
        method: 'PUT',
        url: `/v1/agents/${agent.id}/avatar`,
        headers: { authorization: `Bearer ${org.apiKey}`, ...body.headers },
        payload: body.payload,
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().detail).toMatch(/field named "file"/);
    }

    const json = await t.app.inject({
      method: 'PUT',
      url: `/v1/agents/${agent.id}/avatar`,
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { file: 'x' },
    });
    expect(json.statusCode).toBe(415);
  });

  it("keeps another org and viewers away from an agent's appearance", async () => {
    expect((await upload(other.apiKey, agent.id, PNG)).statusCode).toBe(404);
    expect((await call(other.apiKey, 'DELETE', `/v1/agents/${agent.id}/avatar`)).statusCode).toBe(404);
    expect(
      (await call(other.apiKey, 'PATCH', `/v1/agents/${agent.id}`, { accentColor: '#000000' })).statusCode,
    ).toBe(404);
    const viewer = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/api-keys',
        headers: { authorization: `Bearer ${org.apiKey}` },
        payload: { name: 'viewer', role: 'viewer' },
      })
    ).json().key as string;
    expect((await upload(viewer, agent.id, PNG)).statusCode).toBe(403);

    // Another org's identical image is its own blob; its agent's URL does not open ours.
    const theirs = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/agents',
        headers: { authorization: `Bearer ${other.apiKey}` },
        payload: { name: 'Theirs' },
      })
    ).json();
    const mine = (await upload(org.apiKey, agent.id, PNG)).json().avatarUrl as string;
    const hash = mine.split('/').at(-1);
    expect(
      (await t.app.inject({ method: 'GET', url: `/v1/widget/avatars/${theirs.publishableKey}/${hash}` }))
        .statusCode,
    ).toBe(404);
  });

  it("deletes an agent's avatar with the agent, unless another agent of the org uses the same image", async () => {
    const create = async (name: string) =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/v1/agents',
          headers: { authorization: `Bearer ${org.apiKey}` },
          payload: { name },
        })
      ).json() as { id: string };
    const one = await create('One');
    const two = await create('Two');
    const image = new Uint8Array([...PNG, 9, 9, 9]);
    const hash = ((await upload(org.apiKey, one.id, image)).json().avatarUrl as string).split('/').at(-1)!;
    expect((await upload(org.apiKey, two.id, image)).statusCode).toBe(200);
    const blobFile = path.join(t.config.dataDir, 'blobs', org.orgId, hash.slice(0, 2), hash);
    expect(existsSync(blobFile)).toBe(true);
    expect((await call(org.apiKey, 'DELETE', `/v1/agents/${one.id}`)).statusCode).toBe(204);
    expect(existsSync(blobFile)).toBe(true); // still Two's avatar
    expect((await call(org.apiKey, 'DELETE', `/v1/agents/${two.id}`)).statusCode).toBe(204);
    expect(existsSync(blobFile)).toBe(false);
  });
});
