/**
 * The shapes the rest of the service sees of Stream. Only `src/stream/`
 * speaks HTTP to Stream; everything else uses these types.
 */

/** Stream endpoints we call; also the key of each shared rate budget. */
export const STREAM_ENDPOINTS = [
  'deleteUsers',
  'deleteChannels',
  'exportUsers',
  'exportUser',
  'getTask',
  'queryUsers',
  'queryChannels',
  'downloadExport',
] as const;

export type StreamEndpoint = (typeof STREAM_ENDPOINTS)[number];

/** What Stream's `X-RateLimit-*` headers said on one response. */
export interface RateLimitInfo {
  readonly limit: number;
  readonly remaining: number;
  /** When the window resets, in epoch milliseconds. */
  readonly resetAt: number;
}

/** A successful call: the validated body plus what the headers said. */
export interface StreamResponse<T> {
  readonly data: T;
  readonly status: number;
  readonly endpoint: StreamEndpoint;
  readonly rateLimit: RateLimitInfo | undefined;
}

/** Delete Users body options; `soft` is deliberately not representable. */
export interface DeleteUsersOptions {
  readonly user: 'hard' | 'pruning';
  readonly messages: 'hard' | 'pruning';
  readonly conversations: 'hard';
  readonly newChannelOwnerId?: string;
  readonly files?: boolean;
}

export interface TaskSubmitted {
  readonly taskId: string;
}

/** Task states; anything Stream adds later is treated as in progress. */
export type TaskStatus =
  | 'waiting'
  | 'pending'
  | 'running'
  | 'completed'
  | 'failed'
  | 'error'
  | (string & {});

export interface StreamTask {
  readonly taskId: string;
  readonly status: TaskStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly result?: Record<string, unknown>;
  readonly error?: { readonly type?: string; readonly description?: string };
}

/** A file written to disk from a Stream response, with its fingerprint. */
export interface WrittenFile {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** Observes every call, for metrics and the shared rate budget. */
export interface StreamCallEvent {
  readonly endpoint: StreamEndpoint;
  /** HTTP status, or 0 when no response arrived (timeout, network). */
  readonly status: number;
  readonly durationMs: number;
  readonly rateLimit: RateLimitInfo | undefined;
}
