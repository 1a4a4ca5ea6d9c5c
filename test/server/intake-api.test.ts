import { randomUUID } from 'node:crypto';

import {
  json,
  startTestServer,
  type TestServer,
} from './helpers/test-server.js';

interface ErrorBody {
  code: string;
  message: string;
  issues?: { field: string; message: string }[];
}

const newId = () => `req-${randomUUID()}`;

describe('intake API', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ HTTP_BODY_LIMIT_BYTES: '4096' });
  });
  afterAll(() => server.close());

  it('accepts an erasure with 202, the record and its Location', async () => {
    const requestId = newId();
    const response = await server.api(
      '/v1/erasure-requests',
      json({
        requestId,
        userIds: ['intake-u1', 'intake-u2'],
        channelCids: ['messaging:intake-c1'],
        receivedAt: '2026-11-20T10:00:00.000Z',
        mode: 'pruning',
        deleteFiles: false,
      }),
    );

    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toBe(`/v1/requests/${requestId}`);
    expect(await response.json()).toMatchObject({
      id: requestId,
      kind: 'erasure',
      status: 'queued',
      counts: { users: 2, channels: 1 },
      options: { mode: 'pruning', deleteFiles: false },
      receivedAt: '2026-11-20T10:00:00.000Z',
      deadlineAt: '2026-12-20T10:00:00.000Z',
    });
  });

  it('erases hard and deletes files when no options are given', async () => {
    const response = await server.api(
      '/v1/erasure-requests',
      json({ userIds: ['intake-default-1'] }),
    );

    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({
      options: { mode: 'hard', deleteFiles: true },
    });
  });

  it('accepts an export and serves its record at GET /v1/requests/:id', async () => {
    const requestId = newId();
    const created = await server.api(
      '/v1/export-requests',
      json({ requestId, userIds: ['intake-export-1'] }),
    );
    expect(created.status).toBe(202);

    const status = await server.api(`/v1/requests/${requestId}`);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({
      id: requestId,
      kind: 'export',
      subjects: { userIds: ['intake-export-1'] },
    });

    const capped = await server.api(`/v1/requests/${requestId}?subjectLimit=0`);
    expect(await capped.json()).toMatchObject({
      subjects: { userIds: [] },
      counts: { users: 1 },
    });
    const invalid = await server.api(
      `/v1/requests/${requestId}?subjectLimit=-1`,
    );
    expect(invalid.status).toBe(400);
  });

  it('answers 200 with the same record when the same request is sent again', async () => {
    const body = {
      requestId: newId(),
      userIds: ['intake-again-1'],
      mode: 'hard',
    };
    const first = await server.api('/v1/erasure-requests', json(body));
    const second = await server.api('/v1/erasure-requests', json(body));

    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(((await second.json()) as { id: string }).id).toBe(body.requestId);
  });

  it('answers 409 when the id exists with other content', async () => {
    const requestId = newId();
    await server.api(
      '/v1/erasure-requests',
      json({ requestId, userIds: ['intake-c-1'], mode: 'hard' }),
    );
    const response = await server.api(
      '/v1/erasure-requests',
      json({ requestId, userIds: ['intake-c-2'], mode: 'hard' }),
    );

    expect(response.status).toBe(409);
    expect(((await response.json()) as ErrorBody).code).toBe(
      'request_conflict',
    );
  });

  it('answers 400 invalid_input naming each field at fault, without echoing values', async () => {
    const response = await server.api(
      '/v1/erasure-requests',
      json({ userIds: ['ok-user', ''], mode: 'soft', deleteFiles: 'yes' }),
    );
    const body = (await response.json()) as ErrorBody;

    expect(response.status).toBe(400);
    expect(body.code).toBe('invalid_input');
    const fields = body.issues!.map((issue) => issue.field);
    expect(fields).toEqual(expect.arrayContaining(['mode', 'deleteFiles']));
    expect(fields.some((field) => field.startsWith('userIds'))).toBe(true);
    expect(JSON.stringify(body)).not.toContain('ok-user');
  });

  it('answers 400 to unknown keys, to a non-object body and to an export without users', async () => {
    const cases: [string, unknown][] = [
      ['/v1/erasure-requests', { userIds: ['u-1'], mode: 'hard', force: true }],
      ['/v1/erasure-requests', ['u-1']],
      ['/v1/erasure-requests', 'u-1'],
      ['/v1/erasure-requests', {}],
      ['/v1/export-requests', { channelCids: ['messaging:x'] }],
    ];
    for (const [path, body] of cases) {
      const response = await server.api(path, json(JSON.stringify(body)));
      expect([path, response.status]).toEqual([path, 400]);
      expect(((await response.json()) as ErrorBody).code).toBe('invalid_input');
    }
  });

  it('answers 400 invalid_json to malformed JSON and an empty body', async () => {
    for (const body of ['{"userIds": [', '']) {
      const response = await server.api('/v1/erasure-requests', json(body));
      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorBody).code).toBe('invalid_json');
    }
  });

  it('refuses __proto__ and constructor.prototype keys with 400 and stays up', async () => {
    for (const body of [
      '{"userIds":["p-1"],"__proto__":{"polluted":true}}',
      '{"userIds":["p-1"],"constructor":{"prototype":{"polluted":true}}}',
    ]) {
      const response = await server.api('/v1/erasure-requests', json(body));
      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorBody).code).toBe('invalid_json');
    }

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('answers 413 to a body over HTTP_BODY_LIMIT_BYTES', async () => {
    const userIds = Array.from({ length: 500 }, (_, i) => `big-user-${i}`);
    const response = await server.api(
      '/v1/erasure-requests',
      json({ userIds, mode: 'hard' }),
    );

    expect(response.status).toBe(413);
    expect(((await response.json()) as ErrorBody).code).toBe(
      'payload_too_large',
    );
  });

  it('answers 415 to a body that is not JSON', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const response = await server.api('/v1/erasure-requests', {
        method: 'POST',
        headers: { 'content-type': type },
        body: 'userIds=u-1',
      });
      expect(response.status).toBe(415);
      expect(((await response.json()) as ErrorBody).code).toBe(
        'unsupported_media_type',
      );
    }
  });

  it('answers 404 to an unknown request and 400 to an id that cannot exist', async () => {
    const unknown = await server.api(`/v1/requests/${newId()}`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ErrorBody).code).toBe(
      'request_not_found',
    );

    const invalid = await server.api('/v1/requests/a%3Ab');
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as ErrorBody).code).toBe('invalid_input');
  });

  it('never answers with a stack trace', async () => {
    const response = await server.api(
      '/v1/erasure-requests',
      json('{"userIds": ['),
    );
    const text = await response.text();

    expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/);
    expect(text).not.toContain('stack');
  });
});

describe('intake API while Redis is down', () => {
  let server: TestServer;

  beforeAll(async () => {
    // Port 1 is never a Redis here: every command fails.
    server = await startTestServer({ REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(() => server.close());

  it('answers 503 redis_unavailable instead of hanging', async () => {
    const response = await server.api(
      '/v1/erasure-requests',
      json({ userIds: ['down-user'], mode: 'hard' }),
    );

    expect(response.status).toBe(503);
    expect(((await response.json()) as ErrorBody).code).toBe(
      'redis_unavailable',
    );
  });
});
