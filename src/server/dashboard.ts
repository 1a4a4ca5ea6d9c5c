import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

import type { Config } from '../config/config.js';
import { basicAuth } from './auth.js';
import { hidePersonalData } from './dashboard-formatter.js';
import { sendError } from './http-errors.js';

type BoardServerAdapter = Parameters<
  typeof createBullBoard
>[0]['serverAdapter'];

export const DASHBOARD_PATH = '/dashboard';

/**
 * The page only needs its own assets: nothing loads from elsewhere (its
 * stylesheet links a web font, which would tell a third party who looks at
 * the dashboard), it cannot be framed, and job data is not cached.
 */
const DASHBOARD_HEADERS = {
  'content-security-policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "font-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** The only writes an operator may make when DASHBOARD_ACTIONS is on. */
const ALLOWED_ACTIONS = new Set(
  [
    '/api/queues/:queueName/retry/:queueStatus',
    '/api/queues/:queueName/promote',
    '/api/queues/:queueName/:jobId/retry',
    '/api/queues/:queueName/:jobId/promote',
  ].map((route) => `${DASHBOARD_PATH}${route}`),
);

/**
 * bull-board over every queue at `/dashboard`, behind basic auth. Its page,
 * static assets and JSON API are all registered inside one encapsulated
 * scope whose `onRequest` hook checks the credentials, so no route of it is
 * reachable without them. Returns false (and warns) when no credentials are
 * configured: the dashboard is then not served at all.
 */
export async function registerDashboard(
  app: FastifyInstance,
  queues: readonly Queue[],
  config: Config,
  logger: Logger,
): Promise<boolean> {
  const { dashboardUser, dashboardPassword } = config.http;
  if (!dashboardUser || !dashboardPassword) {
    logger.warn(
      'Dashboard not served: set DASHBOARD_USER and DASHBOARD_PASSWORD to enable it',
    );
    return false;
  }

  const actions = config.http.dashboardActions;
  const showPersonalData = config.http.dashboardShowPersonalData;
  const serverAdapter = new FastifyAdapter().setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => {
      const adapter = new BullMQAdapter(queue, {
        readOnlyMode: !actions,
        allowRetries: actions,
      });
      if (!showPersonalData) {
        adapter.setFormatter('data', hidePersonalData);
        adapter.setFormatter('returnValue', hidePersonalData);
      }
      return adapter;
    }),
    // @bull-board/fastify pins its own copy of @bull-board/api one patch
    // behind ours; the classes match at run time, only their private
    // declarations differ to the compiler.
    serverAdapter: serverAdapter as unknown as BoardServerAdapter,
    options: { uiConfig: { boardTitle: 'stream-gdpr' } },
  });

  await app.register(async (scope) => {
    scope.addHook('onRequest', basicAuth(dashboardUser, dashboardPassword));
    scope.addHook('onSend', async (_request, reply) => {
      reply.headers(DASHBOARD_HEADERS);
    });
    scope.addHook(
      'onRequest',
      guardActions(actions ? ALLOWED_ACTIONS : new Set()),
    );
    await scope.register(serverAdapter.registerPlugin(), {
      prefix: DASHBOARD_PATH,
    });
  });
  logger.info(
    { path: DASHBOARD_PATH, actions, showPersonalData },
    'Dashboard served',
  );
  return true;
}

/**
 * bull-board's read-only mode already refuses writes per queue; this also
 * keeps the destructive ones (clean, obliterate, edit data, add job) closed
 * when retries and promotion are enabled.
 */
function guardActions(allowed: ReadonlySet<string>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    if (allowed.has(request.routeOptions.url ?? '')) return;
    await sendError(reply, 403, {
      code: 'dashboard_read_only',
      message: allowed.size
        ? 'Only retry and promote are enabled on this dashboard.'
        : 'The dashboard is read-only; set DASHBOARD_ACTIONS=true to allow retry and promote.',
    });
  };
}
