import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Redis } from 'ioredis';

import { createGdprClient } from '../../src/requests/gdpr-client.js';
import type { GdprClient } from '../../src/requests/gdpr-client-types.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import type { SandboxEndpoint } from '../../src/sandbox/sandbox-types.js';
import {
  startWorkers,
  type WorkersHandle,
} from '../../workers/start-workers.js';
import { captureLog } from '../support/log-capture.js';
import { makePopulation } from '../support/population.js';
import { tearDown } from '../support/tear-down.js';
import {
  STREAM_KEY,
  STREAM_SECRET,
  testConfig,
  uniquePrefix,
} from '../support/test-env.js';
import { waitForAll } from '../support/wait-all.js';

const ENDPOINTS: readonly SandboxEndpoint[] = [
  'deleteUsers',
  'deleteChannels',
  'getTask',
  'exportUsers',
  'downloadExport',
];

/**
 * PRODUCT.md: "a 429 must not burn an attempt". With a job's attempts
 * spent by 429s alone, a rate limit would end a batch for good.
 */
describe('rate limits never use up a batch attempt', () => {
  let sandbox: Sandbox | undefined;
  let workers: WorkersHandle | undefined;
  let client: GdprClient | undefined;
  let exportDir: string;
  const redis = new Redis('redis://127.0.0.1:6379');
  const prefix = uniquePrefix('rate-attempts');

  const people = makePopulation(200, 10);
  const unused = [...people.userIds];
  const channels = [...people.channelCids];

  beforeAll(async () => {
    exportDir = await mkdtemp(join(tmpdir(), 'gdpr-rate-attempts-'));
    sandbox = await startSandbox({
      apiKey: STREAM_KEY,
      apiSecret: STREAM_SECRET,
      taskDurationMs: 20,
      seed: people.seed,
    });
    workers = await startWorkers({
      config: testConfig({ prefix, streamUrl: sandbox.url, exportDir }),
      logger: captureLog('warn').logger,
    });
    client = createGdprClient({ redis: 'redis://127.0.0.1:6379', prefix });
  });

  afterAll(() =>
    tearDown([workers, client, sandbox], { redis, prefix, dir: exportDir }),
  );

  it.each(ENDPOINTS)(
    'keeps a batch at one attempt when %s answers 429',
    async (endpoint) => {
      // The plain-text 429 carries Retry-After: 1, so the pause is short.
      sandbox!.faults.script({ kind: 'http429Text', endpoint, times: 2 });
      const userIds = unused.splice(0, 3);
      const { requestId } =
        endpoint === 'exportUsers' || endpoint === 'downloadExport'
          ? await client!.requestExport({ userIds })
          : await client!.requestErasure({
              userIds,
              channelCids: channels.splice(0, 1),
            });
      // Generous: under a loaded full suite a paused endpoint's window can
      // take most of a minute to reopen; the point here is attempts, not time.
      const [record] = await waitForAll(client!, [requestId], 75_000);

      expect(record?.status).toBe('completed');
      expect(record?.batches.map((batch) => batch.attempts)).toEqual(
        record?.batches.map(() => 1),
      );
    },
    90_000,
  );
});
