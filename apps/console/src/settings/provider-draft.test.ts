import { describe, expect, it } from 'vitest';
import { emptyDraft, modelRow, type ProviderDraft, providerBody, validateProvider } from './provider-draft';

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
});
