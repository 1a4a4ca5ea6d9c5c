import type { Cluster, Redis } from 'ioredis';
import { Gauge, type Registry } from 'prom-client';

import { indexKeys } from '../requests/record-keys.js';
import type { RequestStatus } from '../requests/request-record.js';
import { sharedWhileInFlight } from './shared-read.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A request is "near" its deadline this long before it. */
export const DEADLINE_WARNING_MS = 7 * DAY_MS;

export interface OpenRequestTimes {
  readonly deadlineAt: string | number;
  readonly createdAt: string | number;
}

/** The part of the record store (src/requests/record-store.ts) read here. */
export interface RequestStatsSource {
  countByStatus(): Promise<Partial<Record<RequestStatus, number>>>;
  /** Unfinished requests, earliest deadline first, at most `limit`. */
  openRequests(limit?: number): Promise<readonly OpenRequestTimes[]>;
}

/** How many open requests the oldest-age gauge looks at per scrape. */
const OLDEST_SAMPLE = 100;

export interface DeadlineSummary {
  readonly pastDeadline: number;
  readonly nearDeadline: number;
  readonly oldestAgeSeconds: number;
}

/**
 * Reads the deadline gauges. The open-requests index is scored by deadline,
 * so the two counts are exact ZCOUNTs however many requests are open. The
 * oldest age looks at the requests with the earliest deadlines (deadline =
 * received + one month, so these are the ones waiting longest).
 */
export async function readDeadlineSummary(
  redis: Redis | Cluster,
  prefix: string,
  source: RequestStatsSource,
  nowMs: number,
): Promise<DeadlineSummary> {
  const open = indexKeys(prefix).open;
  const [pastDeadline, nearDeadline, sample] = await Promise.all([
    redis.zcount(open, '-inf', nowMs),
    redis.zcount(open, `(${nowMs}`, nowMs + DEADLINE_WARNING_MS),
    source.openRequests(OLDEST_SAMPLE),
  ]);
  const created = sample
    .map((request) => toMs(request.createdAt))
    .filter((ms) => Number.isFinite(ms));
  const oldest = Math.min(nowMs, ...created);
  return {
    pastDeadline,
    nearDeadline,
    oldestAgeSeconds: Math.max(0, (nowMs - oldest) / 1000),
  };
}

/** Request families, read from the record store on scrape. */
export function registerRequestMetrics(
  registry: Registry,
  options: {
    readonly redis: Redis | Cluster;
    readonly prefix: string;
    readonly source: RequestStatsSource;
    readonly now?: () => number;
  },
): void {
  const { redis, prefix, source } = options;
  const now = options.now ?? Date.now;
  new Gauge({
    name: 'stream_gdpr_requests',
    help: 'Request records by status.',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const counts = await source.countByStatus();
      this.reset();
      for (const [status, count] of Object.entries(counts)) {
        this.set({ status }, count ?? 0);
      }
    },
  });

  const deadlines = sharedWhileInFlight(() =>
    readDeadlineSummary(redis, prefix, source, now()),
  );

  new Gauge({
    name: 'stream_gdpr_oldest_open_request_age_seconds',
    help: 'Age of the oldest request not yet finished (0 when none).',
    registers: [registry],
    async collect() {
      this.set((await deadlines()).oldestAgeSeconds);
    },
  });
  new Gauge({
    name: 'stream_gdpr_requests_past_deadline',
    help: 'Unfinished requests whose GDPR deadline has passed.',
    registers: [registry],
    async collect() {
      this.set((await deadlines()).pastDeadline);
    },
  });
  new Gauge({
    name: 'stream_gdpr_requests_near_deadline',
    help: 'Unfinished requests within 7 days of their GDPR deadline.',
    registers: [registry],
    async collect() {
      this.set((await deadlines()).nearDeadline);
    },
  });
}

function toMs(value: string | number): number {
  return typeof value === 'number' ? value : Date.parse(value);
}
