/** The scenarios `npm run bench -- --only=…` can pick, in run order. */
export const SCENARIO_NAMES = [
  'latency',
  'rate',
  'overhead',
  'ids',
  'workers',
] as const;

export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/**
 * One line of the table. `ratio` and `met` are undefined when the row only
 * reports (no goal) or could not be measured; `note` then says why.
 */
export interface BenchRow {
  readonly id: string;
  readonly scenario: string;
  readonly measured: string;
  readonly baseline: string;
  readonly ratio: number | undefined;
  readonly goal: string;
  readonly met: boolean | undefined;
  readonly note?: string;
}

/** What a scenario hands back: its rows and the raw figures behind them. */
export interface ScenarioResult {
  readonly rows: readonly BenchRow[];
  readonly details: Record<string, unknown>;
}
