import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';
import { Redis } from 'ioredis';

import { ALL_QUEUES } from '../../src/queues/queue-names.js';
import {
  erasurePayload,
  exportPayload,
  FAST_CHECK_SEED,
} from '../support/bad-input-arbitraries.js';
import { printFigures } from '../support/figures.js';
import { pollUntil } from '../support/poll.js';
import {
  type PrivateRedis,
  startPrivateRedis,
} from '../support/private-redis.js';
import {
  type ServerProcess,
  startServerProcess,
} from '../support/server-process.js';
import { API_TOKEN, uniquePrefix } from '../support/test-env.js';

const RUNS = 1000;
const BODY_LIMIT = 64 * 1024;

interface Sent {
  readonly body: string | undefined;
  readonly contentType: string | undefined;
}

/** Generated payloads as JSON text; what JSON cannot carry becomes text. */
function asJson(payload: unknown): Sent {
  let body: string | undefined;
  try {
    body = JSON.stringify(payload);
  } catch {
    body = String(payload);
  }
  return { body, contentType: 'application/json' };
}

/** Bodies that are not a JSON object, or not JSON at all, or too big. */
const rawBody: fc.Arbitrary<Sent> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }).map((body) => ({
    body,
    contentType: 'application/json',
  })),
  fc
    .constantFrom(
      '',
      '[]',
      'null',
      '"alice"',
      '42',
      '{"userIds":["a"]',
      '{"userIds":["a"]}}',
      '{"__proto__":{"polluted":true},"userIds":["alice"]}',
      '{"constructor":{"prototype":{"polluted":true}},"userIds":["alice"]}',
      '{"userIds":["alice"],"userIds":[" "]}',
      '\u0000\u0001',
    )
    .map((body) => ({ body, contentType: 'application/json' })),
  fc
    .constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      undefined,
    )
    .map((contentType) => ({ body: '{"userIds":["alice"]}', contentType })),
  fc.integer({ min: 1, max: 3 }).map((factor) => ({
    body: JSON.stringify({
      userIds: Array.from(
        { length: (BODY_LIMIT / 10) * factor },
        (_, n) => `u${n}`,
      ),
    }),
    contentType: 'application/json',
  })),
);

describe('bad input to the HTTP intake API (property-based, fast-check)', () => {
  let redis: PrivateRedis;
  let admin: Redis;
  let server: ServerProcess;
  let dir: string;
  const statuses: Record<string, number> = {};
  const codes: Record<string, number> = {};
  let answered = 0;

  const prefix = uniquePrefix('input-http');

  beforeAll(async () => {
    redis = await startPrivateRedis();
    admin = new Redis(redis.url);
    dir = await mkdtemp(join(tmpdir(), 'gdpr-input-http-'));
    server = await startServerProcess(
      {
        REDIS_URL: redis.url,
        QUEUE_PREFIX: prefix,
        HTTP_BODY_LIMIT_BYTES: String(BODY_LIMIT),
        API_TOKEN,
        MAX_SUBJECTS_PER_REQUEST: '1000',
        LOG_LEVEL: 'warn',
      },
      join(dir, 'server.log'),
    );
    // Each BullMQ Queue writes its meta key once connected, which may be
    // after the server listens; only then does "wrote nothing" hold.
    await pollUntil('the queues to write their meta keys', async () => {
      const present = await Promise.all(
        ALL_QUEUES.map((name) => admin.exists(`${prefix}:${name}:meta`)),
      );
      return present.every((n) => n === 1) ? true : undefined;
    });
  });

  afterAll(async () => {
    await server?.stop();
    admin.disconnect();
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
    printFigures('bad-input-http', {
      seed: FAST_CHECK_SEED,
      requests: Object.values(statuses).reduce((a, b) => a + b, 0),
      statuses,
      errorCodes: codes,
    });
  });

  /** Sends one body and checks the answer against the contract. */
  async function checkOne(path: string, sent: Sent): Promise<void> {
    const before = await admin.dbsize();
    const headers: Record<string, string> = {
      Authorization: `Bearer ${API_TOKEN}`,
    };
    if (sent.contentType) headers['Content-Type'] = sent.contentType;
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers,
      ...(sent.body === undefined ? {} : { body: sent.body }),
    });
    const text = await response.text();
    const after = await admin.dbsize();
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    answered += 1;

    if (response.status === 200 || response.status === 202) {
      expect(JSON.parse(text)).toHaveProperty('id');
      return;
    }

    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    expect(typeof body.code).toBe('string');
    expect(typeof body.message).toBe('string');
    expect(text).not.toMatch(/\n\s+at /);
    codes[String(body.code)] = (codes[String(body.code)] ?? 0) + 1;
    expect(after).toBe(before);
  }

  it('answers every generated erasure body with 2xx or a 4xx {code, message} that wrote nothing', async () => {
    await fc.assert(
      fc.asyncProperty(erasurePayload, (payload) =>
        checkOne('/v1/erasure-requests', asJson(payload)),
      ),
      { seed: FAST_CHECK_SEED, numRuns: RUNS },
    );
    expect(answered).toBeGreaterThanOrEqual(RUNS);
    answered = 0;
  }, 120_000);

  it('answers every generated export body with 2xx or a 4xx {code, message} that wrote nothing', async () => {
    await fc.assert(
      fc.asyncProperty(exportPayload, (payload) =>
        checkOne('/v1/export-requests', asJson(payload)),
      ),
      { seed: FAST_CHECK_SEED, numRuns: RUNS },
    );
    expect(answered).toBeGreaterThanOrEqual(RUNS);
    answered = 0;
  }, 120_000);

  it('answers non-JSON, wrongly typed, poisoned and oversized bodies with a 4xx that wrote nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        rawBody,
        fc.constantFrom('/v1/erasure-requests', '/v1/export-requests'),
        (sent, path) => checkOne(path, sent),
      ),
      { seed: FAST_CHECK_SEED, numRuns: 300 },
    );
    expect(answered).toBeGreaterThanOrEqual(300);
  }, 120_000);

  it('stays up and logs no server error after all of it', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(server.child.hasExited()).toBe(false);
    const lines = (await readFile(server.logFile, 'utf8'))
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const errors = lines.filter((line) => Number(line['level']) >= 50);
    expect(errors.map((line) => line['msg'])).toEqual([]);
  });
});
