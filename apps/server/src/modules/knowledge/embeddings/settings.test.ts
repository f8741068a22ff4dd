import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../platform/config.js';
import { embeddingProvider } from '../../models/resolve-provider.js';

const base = { NODE_ENV: 'test', CONFIDANT_DATA_DIR: '/nonexistent-confidant-test-dir' };

describe('embedding configuration', () => {
  it('is off unless a base URL and a model are given; the model is required with the URL', () => {
    expect(loadConfig(base).embedding).toBeUndefined();
    expect(() => loadConfig({ ...base, CONFIDANT_EMBEDDING_BASE_URL: 'http://127.0.0.1:11434/v1' })).toThrow(
      /CONFIDANT_EMBEDDING_MODEL: required/,
    );
    const config = loadConfig({
      ...base,
      CONFIDANT_EMBEDDING_BASE_URL: 'http://127.0.0.1:11434/v1',
      CONFIDANT_EMBEDDING_MODEL: 'nomic-embed-text',
      CONFIDANT_EMBEDDING_DIMENSIONS: '256',
    });
    expect(config.embedding).toEqual({
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'nomic-embed-text',
      apiKey: undefined,
      dimensions: 256,
    });
    expect(embeddingProvider(config)).toEqual({
      kind: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'nomic-embed-text',
      dimensions: 256,
    });
  });

  it('rejects a bad URL or vector size with the variable named', () => {
    for (const [name, value] of [
      ['CONFIDANT_EMBEDDING_BASE_URL', 'not a url'],
      ['CONFIDANT_EMBEDDING_DIMENSIONS', '0'],
      ['CONFIDANT_EMBEDDING_DIMENSIONS', '16001'],
      ['CONFIDANT_EMBEDDING_DIMENSIONS', '1.5'],
    ] as const) {
      let error: unknown;
      try {
        loadConfig({ ...base, CONFIDANT_EMBEDDING_MODEL: 'm', [name]: value });
      } catch (e) {
        error = e;
      }
      expect(error, `${name}=${value}`).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.join('\n')).toContain(name);
    }
  });
});
