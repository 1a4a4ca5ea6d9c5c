import { readFileSync } from 'node:fs';

import { loadConfig, requireConfig } from '../../src/config/config.js';
import { envSchema } from '../../src/config/env-schema.js';
import { ConfigError } from '../../src/errors/config-error.js';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});

    expect(config.stream.baseUrl).toBe('https://chat.stream-io-api.com');
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.stream.apiKey).toBeUndefined();
    expect(config.http.apiToken).toBeUndefined();
    expect(config.worker.defaultRatePerMinute).toBe(60);
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ STREAM_API_KEY: '  ' }).stream.apiKey).toBeUndefined();
  });

  it('names every malformed variable and what it expects', () => {
    const error = configError({
      WORKER_CONCURRENCY: 'abc',
      REDIS_URL: 'localhost:6379',
      LOG_PRETTY: 'maybe',
    });

    expect(error.issues.map((issue) => issue.field).sort()).toEqual([
      'LOG_PRETTY',
      'REDIS_URL',
      'WORKER_CONCURRENCY',
    ]);
    expect(error.message).toContain('WORKER_CONCURRENCY: expected an integer');
    expect(error.message).toContain('REDIS_URL: expected a redis://');
  });

  it('never echoes a value into the message', () => {
    const error = configError({
      STREAM_API_KEY: 'key',
      STREAM_API_SECRET: 'short',
    });

    expect(error.message).toContain('STREAM_API_SECRET');
    expect(error.message).not.toContain('short');
  });

  it('refuses one half of a credential pair', () => {
    const error = configError({ DASHBOARD_USER: 'dpo' });

    expect(error.issues).toEqual([
      {
        field: 'DASHBOARD_PASSWORD',
        message: 'required when DASHBOARD_USER is set',
      },
    ]);
  });

  it('requires Stream credentials only where a command asks for them', () => {
    const config = loadConfig({});

    expect(() => requireConfig(config, [])).not.toThrow();
    expect(() => requireConfig(config, ['streamCredentials'])).toThrow(
      /STREAM_API_KEY: required/,
    );
  });
});

describe('.env.example', () => {
  it('documents every key of the schema, one line each', () => {
    const lines = readFileSync(
      new URL('../../.env.example', import.meta.url),
      'utf8',
    ).split('\n');
    const keys = lines
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.slice(0, line.indexOf('=')));

    expect(keys.sort()).toEqual(Object.keys(envSchema.shape).sort());
    for (const key of keys) {
      const index = lines.findIndex((line) => line.startsWith(`${key}=`));
      expect(lines[index - 1]).toMatch(/^# \S/);
    }
  });

  it('holds no secret values', () => {
    const text = readFileSync(
      new URL('../../.env.example', import.meta.url),
      'utf8',
    );

    for (const key of [
      'STREAM_API_SECRET',
      'API_TOKEN',
      'DASHBOARD_PASSWORD',
      'WEBHOOK_SECRET',
      'RECORD_PSEUDONYM_KEY',
    ]) {
      expect(text).toContain(`\n${key}=\n`);
    }
  });
});
