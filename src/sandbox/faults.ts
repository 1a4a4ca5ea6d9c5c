import type {
  FaultInjector,
  FaultKind,
  FaultProbabilities,
  FaultRule,
  SandboxEndpoint,
} from './sandbox-types.js';

interface ScriptedFault {
  readonly kind: FaultKind;
  readonly endpoint: SandboxEndpoint | undefined;
  remaining: number;
}

interface ProbabilityPlan {
  readonly entries: readonly (readonly [FaultKind, number])[];
  readonly endpoints: ReadonlySet<SandboxEndpoint> | undefined;
  readonly random: () => number;
}

/**
 * Decides which calls get a fault. Scripted rules win over probabilities;
 * within the script the oldest matching rule fires first. Probabilities
 * draw from a seeded PRNG so a failing run can be replayed.
 */
export class Faults implements FaultInjector {
  #script: ScriptedFault[] = [];
  #plan: ProbabilityPlan | undefined;
  #latencyMs: number;
  readonly #baseLatencyMs: number;

  /** `latencyMs` is the configured latency that `clear()` returns to. */
  constructor(latencyMs = 0) {
    this.#latencyMs = latencyMs;
    this.#baseLatencyMs = latencyMs;
  }

  get latencyMs(): number {
    return this.#latencyMs;
  }

  script(...rules: FaultRule[]): void {
    for (const rule of rules) {
      this.#script.push({
        kind: rule.kind,
        endpoint: rule.endpoint,
        remaining: rule.times ?? 1,
      });
    }
  }

  setProbabilities(
    probabilities: FaultProbabilities,
    options: { endpoints?: readonly SandboxEndpoint[]; seed?: number } = {},
  ): void {
    const entries = Object.entries(probabilities).filter(
      (entry): entry is [FaultKind, number] =>
        typeof entry[1] === 'number' && entry[1] > 0,
    );
    this.#plan = {
      entries,
      endpoints: options.endpoints ? new Set(options.endpoints) : undefined,
      random: mulberry32(options.seed ?? 1),
    };
  }

  setLatency(ms: number): void {
    this.#latencyMs = Math.max(0, ms);
  }

  clear(): void {
    this.#script = [];
    this.#plan = undefined;
    this.#latencyMs = this.#baseLatencyMs;
  }

  /** The fault for this call, if any; consumes a scripted rule. */
  next(endpoint: SandboxEndpoint): FaultKind | undefined {
    const index = this.#script.findIndex(
      (rule) => rule.endpoint === undefined || rule.endpoint === endpoint,
    );
    const rule = this.#script[index];
    if (rule !== undefined) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.#script.splice(index, 1);
      return rule.kind;
    }

    return this.#draw(endpoint);
  }

  #draw(endpoint: SandboxEndpoint): FaultKind | undefined {
    const plan = this.#plan;
    if (plan === undefined || plan.entries.length === 0) return undefined;
    if (plan.endpoints !== undefined && !plan.endpoints.has(endpoint)) {
      return undefined;
    }

    const roll = plan.random();
    let threshold = 0;
    for (const [kind, probability] of plan.entries) {
      threshold += probability;
      if (roll < threshold) return kind;
    }

    return undefined;
  }
}

/** A tiny seeded PRNG (mulberry32); returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
