import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Redis } from 'ioredis';

import { createGdprClient } from '../../src/requests/gdpr-client.js';
import type { GdprClient } from '../../src/requests/gdpr-client-types.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import {
  startWorkers,
  type WorkersHandle,
} from '../../workers/start-workers.js';
import { batchTotals, faultsByKind, printFigures } from '../support/figures.js';
import { captureLog } from '../support/log-capture.js';
import { makePopulation, split } from '../support/population.js';
import { tearDown } from '../support/tear-down.js';
import {
  STREAM_KEY,
  STREAM_SECRET,
  testConfig,
  uniquePrefix,
} from '../support/test-env.js';
import { waitForAll } from '../support/wait-all.js';

const FAULT_SEED = 777;

describe('malformed Stream responses', () => {
  let sandbox: Sandbox | undefined;
  let workers: WorkersHandle | undefined;
  let client: GdprClient | undefined;
  let exportDir: string;
  const redis = new Redis('redis://127.0.0.1:6379');
  const prefix = uniquePrefix('malformed');

  beforeAll(async () => {
    exportDir = await mkdtemp(join(tmpdir(), 'gdpr-malformed-'));
  });

  afterAll(() =>
    tearDown([workers, client, sandbox], { redis, prefix, dir: exportDir }),
  );

  it('fail the batch attempt retryably with a clear reason, keep the worker running and let the request complete', async () => {
    const people = makePopulation(600, 40);
    sandbox = await startSandbox({
      apiKey: STREAM_KEY,
      apiSecret: STREAM_SECRET,
      taskDurationMs: 30,
      seed: people.seed,
    });
    const log = captureLog('warn');
    workers = await startWorkers({
      config: testConfig({ prefix, streamUrl: sandbox.url, exportDir }),
      logger: log.logger,
    });
    client = createGdprClient({ redis: 'redis://127.0.0.1:6379', prefix });

    // Every endpoint answers badly at least once, then at random.
    sandbox.faults.script(
      { kind: 'malformedJson', endpoint: 'deleteUsers' },
      { kind: 'wrongShape', endpoint: 'deleteChannels' },
      { kind: 'wrongShape', endpoint: 'getTask' },
      { kind: 'malformedJson', endpoint: 'queryUsers' },
      { kind: 'wrongShape', endpoint: 'queryChannels' },
      { kind: 'wrongShape', endpoint: 'exportUsers' },
      { kind: 'malformedJson', endpoint: 'getTask' },
    );
    sandbox.faults.setProbabilities(
      { malformedJson: 0.06, wrongShape: 0.06 },
      { seed: FAULT_SEED },
    );
    const userParts = split(people.userIds.slice(0, 590), 5);
    const channelParts = split(people.channelCids, 5);
    const ids: string[] = [];
    for (let n = 0; n < 5; n += 1) {
      const input = { userIds: userParts[n]!, channelCids: channelParts[n]! };
      ids.push((await client.requestErasure(input)).requestId);
    }
    const exportIds = people.userIds.slice(590);
    ids.push((await client.requestExport({ userIds: exportIds })).requestId);

    const records = await waitForAll(client, ids, 60_000);

    expect(records.map((r) => r.status)).toEqual(ids.map(() => 'completed'));
    expect(
      people.userIds.slice(0, 590).filter((id) => sandbox!.state.user(id)),
    ).toEqual([]);
    const lines = log.records();
    expect(lines.filter((line) => Number(line['level']) >= 50)).toEqual([]);
    const retries = lines.filter(
      (line) =>
        (line['reason'] as { code?: string } | undefined)?.code ===
        'stream_malformed_response',
    );
    expect(retries.length).toBeGreaterThan(0);
    for (const line of retries) {
      const reason = line['reason'] as { message: string };
      expect(reason.message).toMatch(/^Stream \w+ returned an unexpected body/);
    }

    const totals = batchTotals(records);
    printFigures('malformed-stream', {
      faultSeed: FAULT_SEED,
      requests: ids.length,
      batches: totals.batches,
      faultsInjected: faultsByKind(sandbox.calls),
      retriedAttempts: totals.extraAttempts,
      retriesWithReasonMalformed: retries.length,
      exampleReason: (retries[0]?.['reason'] as { message?: string })?.message,
      completed: records.length,
    });
  }, 90_000);
});
