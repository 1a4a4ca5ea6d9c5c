import { rm } from 'node:fs/promises';

import type { Redis } from 'ioredis';

import { deleteKeysUnder } from '../../src/support/redis-keys.js';

/** Something a test started: a sandbox, workers, a client, a process. */
export type Stoppable =
  { close(): Promise<unknown> } | { stop(): Promise<unknown> };

export interface TestLeftovers {
  readonly redis: Redis;
  /** The test's own key prefix on `redis`. */
  readonly prefix: string;
  /** The test's temp directory, when it made one. */
  readonly dir?: string | undefined;
}

/**
 * A test's `afterAll`: stops what it started, in the order given (those
 * never started are skipped), then deletes its keys, disconnects and
 * removes its temp directory.
 */
export async function tearDown(
  started: readonly (Stoppable | undefined)[],
  leftovers: TestLeftovers,
): Promise<void> {
  for (const part of started) {
    if (part === undefined) continue;
    if ('close' in part) await part.close();
    else await part.stop();
  }

  await deleteKeysUnder(leftovers.redis, leftovers.prefix);
  leftovers.redis.disconnect();
  if (leftovers.dir !== undefined) {
    await rm(leftovers.dir, { recursive: true, force: true });
  }
}
