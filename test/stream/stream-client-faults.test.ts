import type { StreamClient } from '../../src/stream/stream-client.js';
import {
  StreamHttpError,
  StreamNetworkError,
  StreamRateLimitError,
  StreamResponseError,
  StreamTimeoutError,
} from '../../src/stream/stream-errors.js';
import { type Harness, rejectionOf, startHarness, USERS } from './support.js';

const HARD = { user: 'hard', messages: 'hard', conversations: 'hard' } as const;

describe('StreamClient under injected faults', () => {
  let h: Harness;
  /** No client-side retries, so each fault surfaces as it is. */
  let once: StreamClient;

  beforeEach(async () => {
    h = await startHarness();
    once = h.clientWith({ getRetries: 0, timeoutMs: 300 });
  });

  afterEach(async () => {
    await h.close();
  });

  it('surfaces a 500 with code -1 as retryable', async () => {
    h.sandbox.faults.script({ kind: 'http500', endpoint: 'getTask' });
    const error = await rejectionOf(once.getTask('some-task'));

    expect(error).toBeInstanceOf(StreamHttpError);
    expect(error).toMatchObject({
      status: 500,
      streamCode: -1,
      retryable: true,
    });
  });

  it('surfaces an HTML 502 by its status alone, keeping none of the HTML', async () => {
    h.sandbox.faults.script({ kind: 'http502Html', endpoint: 'queryUsers' });
    const error = await rejectionOf(once.queryUsers([USERS[0]]));

    expect(error).toBeInstanceOf(StreamHttpError);
    expect(error).toMatchObject({
      status: 502,
      streamCode: undefined,
      retryable: true,
    });
    expect(error.message).toBe('Stream queryUsers failed: HTTP 502');
  });

  it('turns a JSON 429 into a rate-limit error retrying at X-RateLimit-Reset', async () => {
    h.sandbox.faults.script({ kind: 'http429Json', endpoint: 'queryUsers' });
    const error = await rejectionOf(once.queryUsers([USERS[0]]));

    expect(error).toBeInstanceOf(StreamRateLimitError);
    const limited = error as StreamRateLimitError;
    expect(limited).toMatchObject({
      status: 429,
      streamCode: 9,
      retryable: true,
    });
    expect(limited.rateLimit).toBeDefined();
    expect(limited.retryAt).toBeGreaterThanOrEqual(limited.rateLimit!.resetAt);
    expect(limited.retryAt).toBeGreaterThan(Date.now());
  });

  it('turns a plain-text 429 into a rate-limit error with a retry time', async () => {
    h.sandbox.faults.script({ kind: 'http429Text', endpoint: 'deleteUsers' });
    const before = Date.now();
    const error = await rejectionOf(h.client.deleteUsers([USERS[0]], HARD));

    expect(error).toBeInstanceOf(StreamRateLimitError);
    expect(error).toMatchObject({ status: 429, streamCode: undefined });
    expect((error as StreamRateLimitError).retryAt).toBeGreaterThan(before);
    expect(error.message).toBe('Stream deleteUsers failed: HTTP 429');
  });

  it('times out on a hanging call', async () => {
    h.sandbox.faults.script({ kind: 'hang', endpoint: 'getTask' });
    const error = await rejectionOf(once.getTask('some-task'));

    expect(error).toBeInstanceOf(StreamTimeoutError);
    expect(error).toMatchObject({ code: 'stream_timeout', retryable: true });
    expect(h.events.at(-1)).toMatchObject({ endpoint: 'getTask', status: 0 });
  });

  it('reports a reset connection as a network error', async () => {
    h.sandbox.faults.script({ kind: 'reset', endpoint: 'getTask' });
    const error = await rejectionOf(once.getTask('some-task'));

    expect(error).toBeInstanceOf(StreamNetworkError);
    expect(error).toMatchObject({
      code: 'stream_network_error',
      retryable: true,
    });
  });

  it.each(['malformedJson', 'wrongShape'] as const)(
    'reports a 2xx %s body as a retryable malformed response',
    async (kind) => {
      h.sandbox.faults.script({ kind, endpoint: 'getTask' });
      const error = await rejectionOf(h.client.getTask('some-task'));

      expect(error).toBeInstanceOf(StreamResponseError);
      expect(error).toMatchObject({
        code: 'stream_malformed_response',
        retryable: true,
      });
      // Malformed bodies go back to the queue layer, not to a blip retry.
      expect(h.callsTo('getTask')).toHaveLength(1);
    },
  );

  it.each(['http502Html', 'reset', 'hang'] as const)(
    'retries a read after a %s and succeeds',
    async (kind) => {
      h.sandbox.faults.script({ kind, endpoint: 'queryUsers' });
      const client = h.clientWith({ timeoutMs: 300 });
      const response = await client.queryUsers([USERS[0]]);

      expect(response.data.ids).toEqual([USERS[0]]);
      expect(h.callsTo('queryUsers')).toHaveLength(2);
      expect(h.events.map((event) => event.status)).toEqual([
        kind === 'http502Html' ? 502 : 0,
        200,
      ]);
    },
  );

  it('retries the read-only queryChannels POST too', async () => {
    h.sandbox.faults.script({ kind: 'reset', endpoint: 'queryChannels' });
    const response = await h.client.queryChannels(['messaging:room-dq2v']);

    expect(response.data.cids).toEqual(['messaging:room-dq2v']);
    expect(h.callsTo('queryChannels')).toHaveLength(2);
  });

  it('gives up after getRetries retries', async () => {
    h.sandbox.faults.script({ kind: 'reset', endpoint: 'getTask', times: 3 });
    const error = await rejectionOf(h.client.getTask('some-task'));

    expect(error).toBeInstanceOf(StreamNetworkError);
    expect(h.callsTo('getTask')).toHaveLength(3);
  });

  it('never retries a 429, even on a read', async () => {
    h.sandbox.faults.script({ kind: 'http429Json', endpoint: 'getTask' });
    await rejectionOf(h.client.getTask('some-task'));

    expect(h.callsTo('getTask')).toHaveLength(1);
  });

  it.each([
    ['deleteUsers', (c: StreamClient) => c.deleteUsers([USERS[0]], HARD)],
    [
      'deleteChannels',
      (c: StreamClient) => c.deleteChannels(['team:room-fr8s']),
    ],
    ['exportUsers', (c: StreamClient) => c.exportUsers([USERS[0]])],
  ] as const)(
    'never retries the task-creating %s POST',
    async (endpoint, call) => {
      h.sandbox.faults.script({ kind: 'reset', endpoint });
      const error = await rejectionOf(call(h.client));

      expect(error).toBeInstanceOf(StreamNetworkError);
      expect(h.callsTo(endpoint)).toHaveLength(1);
      expect(h.sandbox.state.tasks()).toHaveLength(0);
    },
  );

  it('does not retry a 502 on a POST that creates a task', async () => {
    h.sandbox.faults.script({ kind: 'http502Html', endpoint: 'exportUsers' });
    await rejectionOf(h.client.exportUsers([USERS[0]]));

    expect(h.callsTo('exportUsers')).toHaveLength(1);
  });
});
