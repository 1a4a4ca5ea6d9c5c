import { join } from 'node:path';

import { type ChildHandle, spawnChild } from '../support/child-process.js';

const MAIN = join(process.cwd(), 'dist', 'workers', 'main.js');

/**
 * Spawns `node dist/workers/main.js` (run `npm run build` first) with the
 * harness' environment; `children` collects them for clean-up.
 */
export function spawnWorker(
  env: Readonly<Record<string, string>>,
  children: ChildHandle[],
): ChildHandle {
  const child = spawnChild(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  children.push(child);
  return child;
}

/** Kills every child still running (SIGKILL) and waits for the exits. */
export async function killAll(children: ChildHandle[]): Promise<void> {
  await Promise.all(children.map((child) => child.kill('SIGKILL')));
  children.length = 0;
}
