import { SCENARIO_NAMES, type ScenarioName } from './bench-types.js';

export interface BenchArgs {
  /** Scenarios to run, in the canonical order. */
  readonly only: readonly ScenarioName[];
  /** Smaller sizes, for iterating on a change. */
  readonly quick: boolean;
  /** Run worker children under `--cpu-prof`; profiles land in the run dir. */
  readonly profile: boolean;
  /**
   * `--env KEY=VALUE` (repeatable): extra environment for every worker
   * process, to try a setting without editing code. Empty means defaults.
   */
  readonly workerEnv: Readonly<Record<string, string>>;
}

export class BenchArgsError extends Error {
  override readonly name = 'BenchArgsError';
}

export const USAGE = `usage: npm run bench -- [--quick] [--only=${SCENARIO_NAMES.join(',')}] [--profile] [--env KEY=VALUE]…`;

/** Parses `--quick`, `--only=a,b` (or `--only a,b`), `--profile`, `--env`. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let only: ScenarioName[] = [...SCENARIO_NAMES];
  let quick = false;
  let profile = false;
  const workerEnv: Record<string, string> = {};

  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--quick') {
      quick = true;
    } else if (arg === '--profile') {
      profile = true;
    } else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      only = parseOnly(value ?? '');
    } else if (arg === '--env' || arg.startsWith('--env=')) {
      const value = arg === '--env' ? argv[++i] : arg.slice('--env='.length);
      const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(value ?? '');
      if (match === null) {
        throw new BenchArgsError(`--env expects KEY=VALUE; got "${value}"`);
      }

      workerEnv[match[1]!] = match[2]!;
    } else {
      throw new BenchArgsError(`unknown argument ${arg}\n${USAGE}`);
    }
  }

  return { only, quick, profile, workerEnv };
}

function parseOnly(value: string): ScenarioName[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !isScenarioName(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new BenchArgsError(
      `--only expects some of ${SCENARIO_NAMES.join(', ')}; got "${value}"`,
    );
  }

  return SCENARIO_NAMES.filter((name) => names.includes(name));
}

function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}
