import type { Logger } from 'pino';

/**
 * Public contract of the Stream sandbox: a local HTTP emulator of the Stream
 * Chat endpoints in ../shared/reference/stream-api.md, used by the tests,
 * the demo and `stream-gdpr sandbox`.
 */

/** Endpoints the sandbox emulates; rate limits and faults key on them. */
export type SandboxEndpoint =
  | 'deleteUsers'
  | 'deleteChannels'
  | 'exportUsers'
  | 'exportUser'
  | 'getTask'
  | 'queryUsers'
  | 'queryChannels'
  | 'downloadExport';

export type FaultKind =
  | 'http400' // 400 with a Stream JSON error body, code 4 (input error)
  | 'http500' // 500 with a Stream JSON error body, code -1
  | 'http502Html' // 502 with an HTML body, as a load balancer sends
  | 'http429Json' // 429 with a Stream JSON body, code 9, and headers
  | 'http429Text' // 429 with a plain-text body, as the edge layer sends
  | 'hang' // never answers; the client must time out
  | 'reset' // destroys the socket before answering
  | 'malformedJson' // 2xx with a body that is not JSON
  | 'wrongShape'; // 2xx JSON missing the fields the endpoint promises

export interface FaultRule {
  readonly kind: FaultKind;
  /** Only calls to this endpoint; every endpoint when omitted. */
  readonly endpoint?: SandboxEndpoint;
  /** How many matching calls to hit (scripted); default 1. */
  readonly times?: number;
}

export type FaultProbabilities = Partial<Record<FaultKind, number>>;

export interface FaultInjector {
  /** Queue scripted faults; they hit the next matching calls in order. */
  script(...rules: FaultRule[]): void;
  /** Hit each call with a fault at these probabilities (0..1 each). */
  setProbabilities(
    probabilities: FaultProbabilities,
    options?: { endpoints?: readonly SandboxEndpoint[]; seed?: number },
  ): void;
  /** Extra latency before every answer, in ms. */
  setLatency(ms: number): void;
  clear(): void;
}

export interface RateLimitSettings {
  readonly windowMs: number;
  /** Calls allowed per window for each endpoint. */
  readonly limit: number;
  /** Overrides of `limit` for some endpoints. */
  readonly perEndpoint?: Partial<Record<SandboxEndpoint, number>>;
  /**
   * Stream's per-second burst limit (see RateLimiter); default true. Off
   * for tests that spend a tiny window with calls in quick succession.
   */
  readonly burst?: boolean;
}

export interface SeedUser {
  readonly id: string;
  readonly name?: string;
  readonly email?: string;
  readonly role?: string;
  /** Messages to create for this user (spread over their channels). */
  readonly messageCount?: number;
  /** Reactions this user leaves on messages in their channels. */
  readonly reactionCount?: number;
}

export interface SeedChannel {
  readonly type: string;
  readonly id: string;
  readonly memberIds?: readonly string[];
  readonly createdById?: string;
}

export interface SeedSpec {
  readonly users?: readonly SeedUser[];
  readonly channels?: readonly SeedChannel[];
}

export interface SandboxOptions {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Added to every API answer. */
  readonly latencyMs?: number;
  /** Time a task takes from creation to `completed`. Default 50 ms. */
  readonly taskDurationMs?: number;
  /** Per-endpoint limits; none when omitted. */
  readonly rateLimit?: RateLimitSettings;
  /** `demo` = a small sample set; default `none`. */
  readonly seed?: SeedSpec | 'demo' | 'none';
  readonly logger?: Logger;
  /** Keep every answered call in `calls`; default true. Off for huge runs. */
  readonly recordCalls?: boolean;
  /** Export User refuses users with more messages or reactions; 10,000. */
  readonly exportUserMessageLimit?: number;
}

/** One call the sandbox answered, for assertions. Bodies are kept whole. */
export interface SandboxCall {
  readonly endpoint: SandboxEndpoint | 'unknown';
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly at: number;
  readonly body: unknown;
  /** Query parameters of the call, `api_key` included. */
  readonly query?: Readonly<Record<string, string>>;
  readonly fault?: FaultKind;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface SandboxUserView {
  readonly id: string;
  readonly name?: string;
  readonly email?: string;
  /** `soft` and `pruning` keep a row; `hard` removes it once the task ran. */
  readonly deletedAt?: string;
  readonly deleteMode?: 'soft' | 'pruning' | 'hard';
  readonly messageCount: number;
  readonly reactionCount: number;
}

export interface SandboxChannelView {
  readonly cid: string;
  readonly memberIds: readonly string[];
  readonly deletedAt?: string;
  readonly hardDeleted: boolean;
  readonly messageCount: number;
  /** Owner; changes when Delete Users hands channels to a new owner. */
  readonly createdById?: string;
}

export interface SandboxTaskView {
  readonly id: string;
  readonly kind: 'deleteUsers' | 'deleteChannels' | 'exportUsers';
  readonly status: 'pending' | 'running' | 'completed' | 'failed';
  readonly subjectIds: readonly string[];
  /** Subject ids the sandbox did not know; still reported `ok`. */
  readonly unknownIds?: readonly string[];
}

/** Read-only view of the sandbox's state for test assertions. */
export interface SandboxState {
  /** Undefined once a user is hard-deleted (or never existed). */
  user(id: string): SandboxUserView | undefined;
  channel(cid: string): SandboxChannelView | undefined;
  users(): readonly SandboxUserView[];
  channels(): readonly SandboxChannelView[];
  tasks(): readonly SandboxTaskView[];
  /** Messages authored by the user that still exist (any delete state). */
  messageCountOf(userId: string): number;
}

export interface Sandbox {
  readonly url: string;
  readonly port: number;
  readonly state: SandboxState;
  readonly faults: FaultInjector;
  /** Every call answered so far, oldest first. */
  readonly calls: readonly SandboxCall[];
  seed(spec: SeedSpec): void;
  setRateLimit(settings: RateLimitSettings | undefined): void;
  setTaskDuration(ms: number): void;
  /** Fails the next task of this kind with this description. */
  failNextTask(kind: SandboxTaskView['kind'], description: string): void;
  close(): Promise<void>;
}

/** Starts a sandbox; resolves once it listens. */
export type StartSandbox = (options: SandboxOptions) => Promise<Sandbox>;
