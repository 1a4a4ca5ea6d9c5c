import {
  STREAM_ENDPOINTS,
  type StreamEndpoint,
} from '../stream/stream-types.js';

/**
 * Where Stream call metrics live in Redis. Workers write them, the server
 * reads them on scrape: the two are different processes, and several
 * workers add to the same totals. Fields are `<endpoint>|<part>`, built only
 * from fixed vocabularies, so no request data can reach a label.
 */
export function streamMetricKeys(prefix: string) {
  return {
    /** `<endpoint>|<status class>` → calls. */
    calls: `${prefix}:metrics:stream-calls`,
    /** `<endpoint>|<bucket le>` → calls in that bucket (not cumulative),
     * `<endpoint>|sum` → seconds, `<endpoint>|count` → calls. */
    latency: `${prefix}:metrics:stream-latency`,
    /** `<endpoint>` → the last rate limit Stream reported, as JSON. */
    rate: `${prefix}:metrics:stream-rate`,
  };
}

/** Upper bounds of the latency histogram, in seconds. */
export const LATENCY_BUCKETS_SECONDS = [
  0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
] as const;

export const STATUS_CLASSES = [
  '2xx',
  '4xx',
  '5xx',
  '429',
  'none',
  'other',
] as const;

export type StatusClass = (typeof STATUS_CLASSES)[number];

/** 0 means no response arrived (timeout or network error). */
export function statusClass(status: number): StatusClass {
  if (status === 0) return 'none';
  if (status === 429) return '429';
  if (status >= 200 && status < 300) return '2xx';
  if (status >= 400 && status < 500) return '4xx';
  if (status >= 500 && status < 600) return '5xx';
  return 'other';
}

/** The bucket label a duration falls in: its `le`, or `+Inf`. */
export function latencyBucket(seconds: number): string {
  const bound = LATENCY_BUCKETS_SECONDS.find((le) => seconds <= le);
  return bound === undefined ? '+Inf' : String(bound);
}

export function isStreamEndpoint(value: string): value is StreamEndpoint {
  return (STREAM_ENDPOINTS as readonly string[]).includes(value);
}
