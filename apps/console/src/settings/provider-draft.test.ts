import type { ModelProviderEntry } from '@confidant/contract';
import { describe, expect, it } from 'vitest';
import {
  describeTiming,
  emptyDraft,
  modelRow,
  type ProviderDraft,
  providerBody,
  toDraft,
  validateProvider,
} from './provider-draft';

/** The provider form's own checks mirror the server's rules (modules/model-providers/routes.ts). */
const draft = (change: Partial<ProviderDraft>): ProviderDraft => ({
  ...emptyDraft(),
  name: 'P',
  models: [modelRow({ id: 'm', type: 'chat' })],
  ...change,
});

describe('the model provider form', () => {
  it('asks for what each kind needs: a URL for openai-compatible and azure, a region for Bedrock', () => {
    expect(validateProvider(draft({ kind: 'anthropic' }))).toEqual({});
    expect(Object.keys(validateProvider(draft({ kind: 'openai-compatible' })))).toEqual(['baseUrl']);
    expect(Object.keys(validateProvider(draft({ kind: 'azure' })))).toEqual(['baseUrl']);
    expect(Object.keys(validateProvider(draft({ kind: 'amazon-bedrock' })))).toEqual(['region']);
    expect(validateProvider(draft({ kind: 'amazon-bedrock', region: 'eu-central-1' }))).toEqual({});
    expect(Object.keys(validateProvider(draft({ kind: 'amazon-bedrock', region: 'Mars' })))).toEqual([
      'region',
    ]);
    // A base URL of its own stands in for Bedrock's region, as on the server.
    expect(
      validateProvider(draft({ kind: 'amazon-bedrock', baseUrl: 'https://bedrock.example.com' })),
    ).toEqual({});
  });

  it('refuses a blank name, a URL with credentials or another scheme, and blank model rows', () => {
    const errors = validateProvider(
      draft({
        name: ' ',
        baseUrl: 'https://user:pw@llm.example/v1',
        models: [modelRow({ id: 'ok', type: 'chat' }), modelRow({ id: ' ', type: 'embedding' })],
      }),
    );
    expect(Object.keys(errors).sort()).toEqual(['baseUrl', 'models.1.id', 'name']);
    expect(Object.keys(validateProvider(draft({ baseUrl: 'ftp://llm.example' })))).toEqual(['baseUrl']);
  });

  it('sends blank optional fields as null, the region only for Bedrock, the key only when changed', () => {
    expect(providerBody(draft({ kind: 'openai', baseUrl: ' ', region: 'eu-central-1' }))).toEqual({
      kind: 'openai',
      name: 'P',
      baseUrl: null,
      region: null,
      models: [{ id: 'm', type: 'chat' }],
    });
    expect(
      providerBody(draft({ kind: 'amazon-bedrock', region: ' eu-central-1 ', apiKey: { mode: 'clear' } })),
    ).toMatchObject({ region: 'eu-central-1', apiKey: null });
    expect(providerBody(draft({ apiKey: { mode: 'replace', value: ' k ' } }))).toMatchObject({
      apiKey: ' k ',
    });
  });

  it('holds the timeout in seconds and sends it in milliseconds, only when it changed', () => {
    const stored: ModelProviderEntry = {
      id: 'p1',
      kind: 'openai',
      name: 'P',
      baseUrl: null,
      region: null,
      models: [{ id: 'm', type: 'chat' }],
      timeoutMs: 12_500,
      maxRetries: 2,
      hasApiKey: false,
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    };
    const edited = toDraft(stored);
    expect(edited).toMatchObject({ timeoutSeconds: '12.5', maxRetries: '2' });
    expect(validateProvider(edited)).toEqual({});
    // Unchanged: neither is sent, so an edit elsewhere leaves them alone.
    expect(providerBody(edited, stored)).not.toHaveProperty('timeoutMs');
    expect(providerBody(edited, stored)).not.toHaveProperty('maxRetries');
    expect(providerBody({ ...edited, timeoutSeconds: ' 10 ' }, stored)).toMatchObject({ timeoutMs: 10_000 });
    expect(providerBody({ ...edited, timeoutSeconds: ' 10 ' }, stored)).not.toHaveProperty('maxRetries');
    expect(providerBody({ ...edited, maxRetries: '0' }, stored)).toMatchObject({ maxRetries: 0 });
    // A new provider starts at the server's defaults (30 s, 1 retry) and sends only departures from them.
    expect(emptyDraft()).toMatchObject({ timeoutSeconds: '30', maxRetries: '1' });
    expect(providerBody(draft({}))).not.toHaveProperty('timeoutMs');
    expect(providerBody(draft({ timeoutSeconds: '1.25', maxRetries: '3' }))).toMatchObject({
      timeoutMs: 1250,
      maxRetries: 3,
    });
  });

  it('keeps the timeout within 1–120 seconds and the retries a whole number within 0–3', () => {
    for (const timeoutSeconds of ['1', '120', '0.001e3', '45.5'])
      expect(validateProvider(draft({ timeoutSeconds }))).toEqual({});
    for (const timeoutSeconds of ['', ' ', '0.5', '0', '-5', '120.5', '121', 'ten', 'Infinity'])
      expect(Object.keys(validateProvider(draft({ timeoutSeconds })))).toEqual(['timeoutMs']);
    for (const maxRetries of ['0', '3', ' 2 ']) expect(validateProvider(draft({ maxRetries }))).toEqual({});
    for (const maxRetries of ['', '4', '-1', '1.5', 'one'])
      expect(Object.keys(validateProvider(draft({ maxRetries })))).toEqual(['maxRetries']);
  });

  it('describes the timing on the row only when it differs from the defaults', () => {
    expect(describeTiming({ timeoutMs: 30_000, maxRetries: 1 })).toBeNull();
    expect(describeTiming({ timeoutMs: 10_000, maxRetries: 0 })).toBe('Timeout 10 s · 0 retries');
    expect(describeTiming({ timeoutMs: 30_000, maxRetries: 2 })).toBe('Timeout 30 s · 2 retries');
    expect(describeTiming({ timeoutMs: 1500, maxRetries: 1 })).toBe('Timeout 1.5 s · 1 retry');
  });
});
