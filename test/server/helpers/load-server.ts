import { jest } from '@jest/globals';

import type { startServer as StartServer } from '../../../src/server/start-server.js';

/**
 * Imports `startServer` in a way jest can load. bull-board's fastify
 * adapter needs @fastify/static, a CommonJS module that `require`s
 * content-disposition 3, an ES module. Node (>= 20.19) loads that natively;
 * jest's module registry cannot before Node 24.9. So the real ES module is
 * imported first and handed to CommonJS `require` under its own name: the
 * same code, no stand-in.
 */
export async function loadStartServer(): Promise<typeof StartServer> {
  const contentDisposition = await import('content-disposition');
  jest.mock('content-disposition', () => contentDisposition);
  const module = await import('../../../src/server/start-server.js');
  return module.startServer;
}
