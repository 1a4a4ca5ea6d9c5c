import { createServer } from 'node:net';

/** Binds `port` on 127.0.0.1 (0 = any) and returns the port it got. */
function bind(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(bound));
    });
  });
}

async function isFree(port: number): Promise<boolean> {
  try {
    await bind(port);
    return true;
  } catch {
    return false;
  }
}

/**
 * A TCP port on 127.0.0.1 that nothing listens on right now. With
 * `alsoFree`, the ports at those offsets are free too (a cluster node
 * needs its bus port, `port + 10000`). Never the shared Redis port.
 */
export async function freePort(
  alsoFree: readonly number[] = [],
): Promise<number> {
  for (let tries = 0; tries < 200; tries += 1) {
    const port = await bind(0);
    if (port === 6379 || port + Math.max(0, ...alsoFree) > 65_535) continue;
    const others = await Promise.all(
      alsoFree.map((offset) => isFree(port + offset)),
    );
    if (others.every(Boolean)) return port;
  }

  throw new Error('no free port found on 127.0.0.1');
}
