import { createHash } from 'node:crypto';

import type { Cluster, Redis } from 'ioredis';

export type RedisClient = Redis | Cluster;

/**
 * A Lua script run by SHA with a fallback to EVAL on NOSCRIPT, so each
 * script body crosses the wire once per server. Works on Redis and Redis
 * Cluster alike (all our keys share one hash slot).
 */
export class LuaScript {
  readonly #source: string;
  readonly #sha: string;

  constructor(source: string) {
    this.#source = source;
    this.#sha = createHash('sha1').update(source).digest('hex');
  }

  async run(
    redis: RedisClient,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    try {
      return await redis.evalsha(this.#sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) {
        throw error;
      }

      return redis.eval(this.#source, keys.length, ...keys, ...args);
    }
  }
}
