import {
  Histogram,
  type MetricObjectWithValues,
  type MetricValueWithName,
} from 'prom-client';

import { LATENCY_BUCKETS_SECONDS } from './stream-metric-keys.js';
import type { StreamLatency } from './stream-metrics-reader.js';

type Values = MetricObjectWithValues<MetricValueWithName<'endpoint'>>;
type Value = MetricValueWithName<'endpoint' | 'le'>;

/**
 * A histogram whose buckets were counted by other processes and summed in
 * Redis. prom-client's `Histogram` can only `observe` single values, so
 * this one answers the registry with the stored buckets instead.
 */
export class RedisBackedHistogram extends Histogram<'endpoint'> {
  constructor(
    private readonly metricName: string,
    private readonly metricHelp: string,
    private readonly read: () => Promise<readonly StreamLatency[]>,
  ) {
    super({
      name: metricName,
      help: metricHelp,
      labelNames: ['endpoint'],
      buckets: [...LATENCY_BUCKETS_SECONDS],
      registers: [],
    });
  }

  override async get(): Promise<Values> {
    const values: Value[] = [];
    const name = this.metricName;
    for (const latency of await this.read()) {
      const { endpoint } = latency;
      let cumulative = 0;
      latency.buckets.forEach((count, index) => {
        cumulative += count;
        values.push({
          metricName: `${name}_bucket`,
          labels: { endpoint, le: LATENCY_BUCKETS_SECONDS[index] ?? '+Inf' },
          value: cumulative,
        });
      });
      values.push(
        {
          metricName: `${name}_sum`,
          labels: { endpoint },
          value: latency.sumSeconds,
        },
        {
          metricName: `${name}_count`,
          labels: { endpoint },
          value: latency.count,
        },
      );
    }
    // prom-client's types describe `type` as a numeric enum and leave out
    // the `le` label, while the registry reads the string 'histogram' and
    // the labels as given: the shape below is the one it renders.
    const metric = {
      name,
      help: this.metricHelp,
      type: 'histogram',
      values,
      aggregator: 'sum',
    };
    return metric as unknown as Values;
  }

  /** The registry prefers this one when it renders text. */
  async getForPromString(): Promise<Values> {
    return this.get();
  }
}
