import { readFileSync } from 'node:fs';

import { decodeJwt, decodeProtectedHeader } from 'jose';

import { loadConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { createStreamClient } from '../../src/stream/stream-client.js';
import { StreamHttpError } from '../../src/stream/stream-errors.js';
import {
  API_KEY,
  API_SECRET,
  type Harness,
  header,
  rejectionOf,
  startHarness,
  USERS,
} from './support.js';

const VERSION = (
  JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }
).version;

describe('StreamClient authentication and headers', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h.close();
  });

  it('sends a bare server JWT signed HS256 over exactly {server: true}', async () => {
    await h.client.queryUsers([USERS[0]]);
    const token = header(h.callsTo('queryUsers').at(-1), 'authorization');

    expect(token).toBeDefined();
    expect(token).not.toMatch(/^Bearer /i);
    expect(decodeProtectedHeader(token!)).toMatchObject({ alg: 'HS256' });
    expect(decodeJwt(token!)).toEqual({ server: true });
  });

  it('sends stream-auth-type, X-Stream-Client and a fresh request id on every call', async () => {
    const before = h.sandbox.calls.length;
    await h.client.queryUsers([USERS[0]]);
    await h.client.exportUsers([USERS[1]]);
    const calls = h.sandbox.calls.slice(before);

    // The sandbox answered 2xx, so it found our api_key (it answers 401
    // code 2 without it); its call log keeps the path without the query.
    expect(calls.map((call) => call.status)).toEqual([200, 201]);
    for (const call of calls) {
      expect(header(call, 'stream-auth-type')).toBe('jwt');
      expect(header(call, 'x-stream-client')).toBe(
        `stream-gdpr-worker-${VERSION}`,
      );
      expect(header(call, 'x-client-request-id')).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    }
    const ids = calls.map((call) => header(call, 'x-client-request-id'));
    expect(new Set(ids).size).toBe(2);
    expect(header(calls[1], 'content-type')).toMatch(/^application\/json/);
  });

  it('signs the token once and reuses it', async () => {
    await h.client.queryUsers([USERS[0]]);
    await h.client.queryUsers([USERS[1]]);
    const tokens = h
      .callsTo('queryUsers')
      .slice(-2)
      .map((call) => header(call, 'authorization'));

    expect(tokens[0]).toBe(tokens[1]);
  });

  it('rejects a wrong api key as a permanent 401 with code 2', async () => {
    const client = h.clientWith({ apiKey: 'not-the-key' });
    const error = await rejectionOf(client.queryUsers([USERS[0]]));

    expect(error).toBeInstanceOf(StreamHttpError);
    expect(error).toMatchObject({
      status: 401,
      streamCode: 2,
      retryable: false,
    });
  });

  it('rejects a token signed with the wrong secret as a permanent 401 with code 43', async () => {
    const client = h.clientWith({ apiSecret: 'a-different-secret-000' });
    const error = await rejectionOf(client.getTask('any-task'));

    expect(error).toBeInstanceOf(StreamHttpError);
    expect(error).toMatchObject({
      status: 401,
      streamCode: 43,
      retryable: false,
    });
  });

  it('is built from the configuration, which must hold the credentials', async () => {
    expect(() => createStreamClient(loadConfig({}))).toThrow(ConfigError);
    const client = createStreamClient(
      loadConfig({
        STREAM_API_KEY: API_KEY,
        STREAM_API_SECRET: API_SECRET,
        STREAM_BASE_URL: h.sandbox.url,
      }),
    );

    const response = await client.queryUsers([USERS[2]]);
    expect(response.data.ids).toEqual([USERS[2]]);
  });
});
