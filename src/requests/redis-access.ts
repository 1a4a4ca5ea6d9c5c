import type { Redis } from 'ioredis';

import { GdprError } from '../errors/gdpr-error.js';
import { RedisUnavailableError } from '../errors/redis-unavailable-error.js';
import {
  openStandaloneRedis,
  PRODUCER_COMMAND_TIMEOUT_MS,
} from '../queues/redis-connection.js';
import type { RedisClient } from './lua-script.js';

/** How long one library call may wait for Redis before giving up. */
export const REDIS_DEADLINE_MS = PRODUCER_COMMAND_TIMEOUT_MS;

/**
 * A connection for the producer library that fails fast: a short connect
 * timeout, one retry per command, and a command timeout, so an unreachable
 * Redis answers with `RedisUnavailableError` in seconds instead of queueing
 * commands forever; a failed connect does not hold the process open.
 */
export function openProducerConnection(url: string): Redis {
  return openStandaloneRedis(url, 'producer');
}

/**
 * Runs `operation` against Redis within the deadline. Connection-level
 * failures become `RedisUnavailableError`; Redis' own replies (ReplyError)
 * and our errors pass through unchanged.
 */
export async function withRedis<T>(
  operation: () => Promise<T>,
  deadlineMs = REDIS_DEADLINE_MS,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new RedisUnavailableError(`no answer within ${deadlineMs} ms`)),
      deadlineMs,
    );
  });
  try {
    return await Promise.race([operation(), deadline]);
  } catch (error) {
    throw toRedisError(error);
  } finally {
    clearTimeout(timer);
  }
}

function toRedisError(error: unknown): unknown {
  if (error instanceof GdprError) return error;
  if (error instanceof Error && error.name === 'ReplyError') return error;
  const detail =
    error instanceof Error && 'code' in error && typeof error.code === 'string'
      ? `connection failed (${error.code})`
      : 'connection failed';
  return new RedisUnavailableError(detail, { cause: error });
}

export type { RedisClient };
