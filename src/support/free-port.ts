import { createServer } from 'node:net';

import { NoFreePortError } from './support-errors.js';

const LOOPBACK = '127.0.0.1';
/** The shared Redis: a private server must never take its port. */
const SHARED_REDIS_PORT = 6379;
const MAX_TRIES = 200;

/** Binds `port` at `host` (0 = any) and returns the port it got. */
function bind(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(bound));
    });
  });
}

/** True when nothing listens on `port` at `host` (we could bind it). */
export async function isPortFree(
  port: number,
  host: string = LOOPBACK,
): Promise<boolean> {
  try {
    await bind(port, host);
    return true;
  } catch {
    return false;
  }
}

/**
 * A TCP port on 127.0.0.1 that nothing listens on right now, never the
 * shared Redis port. With `alsoFree`, the ports at those offsets are free
 * too (a cluster node needs its bus port, `port + 10000`).
 */
export async function freePort(
  alsoFree: readonly number[] = [],
): Promise<number> {
  const reach = Math.max(0, ...alsoFree);
  for (let tries = 0; tries < MAX_TRIES; tries += 1) {
    const port = await bind(0, LOOPBACK);
    if (port === SHARED_REDIS_PORT || port + reach > 65_535) continue;
    const others = await Promise.all(
      alsoFree.map((offset) => isPortFree(port + offset)),
    );
    if (others.every(Boolean)) return port;
  }

  throw new NoFreePortError(`no free port found on ${LOOPBACK}`);
}
