import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

import { sendError } from './http-errors.js';

/**
 * `/metrics` in Prometheus text format. It is not authenticated, as is usual
 * for scrape targets on a private network; it carries no personal data.
 * When Redis cannot be read the scrape fails with 503, so Prometheus marks
 * the target down instead of recording zeros.
 */
export function registerMetricsRoute(
  app: FastifyInstance,
  registry: Registry,
  logger: Logger,
): void {
  app.get('/metrics', async (_request, reply) => {
    try {
      const text = await registry.metrics();
      return await reply.type(registry.contentType).send(text);
    } catch (error) {
      logger.warn({ err: error }, 'Metrics scrape failed');
      return sendError(reply, 503, {
        code: 'redis_unavailable',
        message: 'Metrics need Redis, which does not answer.',
      });
    }
  });
}
