import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startSandbox } from '../../src/sandbox/index.js';
import type {
  Sandbox,
  SandboxCall,
  SandboxEndpoint,
  SandboxOptions,
  SeedSpec,
} from '../../src/sandbox/sandbox-types.js';
import {
  StreamClient,
  type StreamClientOptions,
} from '../../src/stream/stream-client.js';
import type { StreamCallEvent } from '../../src/stream/stream-types.js';
import { pollUntil } from '../support/poll.js';

export const API_KEY = 'test-api-key';
export const API_SECRET = 'test-api-secret-0123456789';

/**
 * Distinctive ids, so a scan of messages or log lines for them cannot
 * match anything by accident.
 */
export const USERS = ['subject-aq7x', 'subject-bk3z', 'subject-cm9w'] as const;
export const CHANNELS = [
  'messaging:room-dq2v',
  'messaging:room-ep5t',
  'team:room-fr8s',
] as const;

export const SEED: SeedSpec = {
  users: USERS.map((id, index) => ({
    id,
    name: `Person ${index}`,
    email: `${id}@example.test`,
    messageCount: 3 + index,
  })),
  channels: CHANNELS.map((cid) => {
    const [type = '', id = ''] = cid.split(':');
    return { type, id, memberIds: [USERS[0], USERS[1]] };
  }),
};

export interface Harness {
  readonly sandbox: Sandbox;
  readonly client: StreamClient;
  /** Every `onCall` event, oldest first. */
  readonly events: StreamCallEvent[];
  /** A private temp directory, removed by `close`. */
  readonly dir: string;
  /** A second client on the same sandbox with other options. */
  clientWith(options: Partial<StreamClientOptions>): StreamClient;
  callsTo(endpoint: SandboxEndpoint): SandboxCall[];
  close(): Promise<void>;
}

/** A seeded sandbox, a client pointed at it, and a temp directory. */
export async function startHarness(
  options: {
    readonly client?: Partial<StreamClientOptions>;
    readonly sandbox?: Partial<SandboxOptions>;
  } = {},
): Promise<Harness> {
  const sandbox = await startSandbox({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    seed: SEED,
    taskDurationMs: 20,
    ...options.sandbox,
  });
  const dir = await mkdtemp(join(tmpdir(), 'stream-client-'));
  const events: StreamCallEvent[] = [];
  const clientWith = (extra: Partial<StreamClientOptions>) =>
    new StreamClient({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      baseUrl: sandbox.url,
      timeoutMs: 2_000,
      onCall: (event) => events.push(event),
      ...options.client,
      ...extra,
    });
  return {
    sandbox,
    client: clientWith({}),
    events,
    dir,
    clientWith,
    callsTo: (endpoint) =>
      sandbox.calls.filter((call) => call.endpoint === endpoint),
    close: async () => {
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns a value, or fails after `timeoutMs`. */
export function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 5_000,
): Promise<T> {
  return pollUntil('a Stream condition', probe, { timeoutMs, intervalMs: 20 });
}

/** Waits for a task to finish and returns it. */
export async function finishedTask(client: StreamClient, taskId: string) {
  return eventually(async () => {
    const { data } = await client.getTask(taskId);
    return data.status === 'completed' || data.status === 'failed'
      ? data
      : undefined;
  });
}

/** The rejection of `promise`, failing the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    // Errors from Node's fetch come from another realm under jest's VM
    // modules, so `instanceof Error` would be false for them.
    if (typeof error === 'object' && error !== null && 'message' in error) {
      return error as Error;
    }
    throw new Error('rejected with a non-Error', { cause: error });
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** A header as the sandbox recorded it (Node lower-cases names). */
export function header(call: SandboxCall | undefined, name: string) {
  const value = call?.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}
