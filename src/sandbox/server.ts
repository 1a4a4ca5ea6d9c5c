import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { Authenticator } from './auth.js';
import type { SandboxContext } from './context.js';
import { demoSeed } from './demo-seed.js';
import { dispatch, type Dispatcher } from './dispatch.js';
import { ExportFiles } from './export-files.js';
import { Faults } from './faults.js';
import { RateLimiter } from './rate-limiter.js';
import type {
  Sandbox,
  SandboxCall,
  SandboxOptions,
  SeedSpec,
  StartSandbox,
} from './sandbox-types.js';
import { applySeed } from './seed.js';
import { stateView } from './state-view.js';
import { Store } from './store.js';
import { Tasks } from './tasks.js';

const DEFAULT_TASK_DURATION_MS = 50;
const DEFAULT_EXPORT_USER_LIMIT = 10_000;

/**
 * Starts a Stream sandbox on `host` (127.0.0.1 by default) and resolves
 * once it listens. See sandbox-types.ts for the contract and the module
 * docs of each route for the choices the reference leaves open.
 */
export const startSandbox: StartSandbox = async (options) => {
  const store = new Store();
  const tasks = new Tasks(options.taskDurationMs ?? DEFAULT_TASK_DURATION_MS);
  const faults = new Faults(options.latencyMs ?? 0);
  const limiter = new RateLimiter(options.rateLimit);
  const calls: SandboxCall[] = [];
  const state = stateView(store, tasks);
  let baseUrl = '';

  const ctx: SandboxContext = {
    store,
    tasks,
    exports: new ExportFiles(options.apiSecret),
    baseUrl: () => baseUrl,
    exportUserMessageLimit:
      options.exportUserMessageLimit ?? DEFAULT_EXPORT_USER_LIMIT,
  };
  const dispatcher: Dispatcher = {
    ctx,
    auth: new Authenticator(options.apiKey, options.apiSecret),
    faults,
    limiter,
    record:
      options.recordCalls === false
        ? undefined
        : (call: SandboxCall) => calls.push(call),
    adminState: () => ({
      users: state.users(),
      channels: state.channels(),
      tasks: state.tasks(),
    }),
    logger: options.logger,
  };
  const initial = initialSeed(options);
  if (initial !== undefined) applySeed(store, initial);

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    dispatch(dispatcher, req, res).catch((error: unknown) => {
      options.logger?.error({ err: error }, 'sandbox could not answer a call');
      res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  options.logger?.info({ port }, 'stream sandbox listening');

  const sandbox: Sandbox = {
    url: baseUrl,
    port,
    state,
    faults,
    calls,
    seed: (spec: SeedSpec) => applySeed(store, spec),
    setRateLimit: (settings) => limiter.set(settings),
    setTaskDuration: (ms) => tasks.setDuration(ms),
    failNextTask: (kind, description) => tasks.failNext(kind, description),
    close: () => {
      tasks.stop();
      const closed = new Promise<void>((resolve) =>
        server.close(() => resolve()),
      );
      // Hung requests keep their sockets open; destroying them lets close finish.
      for (const socket of sockets) socket.destroy();
      return closed;
    },
  };
  return sandbox;
};

function initialSeed(options: SandboxOptions): SeedSpec | undefined {
  if (options.seed === undefined || options.seed === 'none') return undefined;
  return options.seed === 'demo' ? demoSeed() : options.seed;
}
