import type { FastifyInstance } from 'fastify';

import type { RedisConnection } from '../queues/redis-connection.js';

/** How long `/readyz` waits for Redis before calling the service unready. */
const READY_TIMEOUT_MS = 1000;

/**
 * `/healthz` answers while the process can serve HTTP at all; `/readyz`
 * only while Redis answers too, so an orchestrator stops routing traffic to
 * an instance that could not enqueue anything. The configuration was
 * validated before the server started, so a running server has a valid one.
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  redis: RedisConnection,
): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const redisOk = await pingWithin(redis, READY_TIMEOUT_MS);
    const checks = { config: 'ok', redis: redisOk ? 'ok' : 'unreachable' };
    if (redisOk) return { status: 'ok', checks };
    return reply.code(503).send({ status: 'unavailable', checks });
  });
}

async function pingWithin(
  redis: RedisConnection,
  timeoutMs: number,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const ping = redis.ping().then(
    (answer) => answer === 'PONG',
    () => false,
  );
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
