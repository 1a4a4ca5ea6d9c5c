/**
 * The durable record of one GDPR request: the evidence an operator or DPO
 * reads. `getRequest` returns it, `stream-gdpr status --json` prints it and
 * `GET /v1/requests/:id` serves it. Field names are part of the public
 * contract; add fields, do not rename them.
 */

export type RequestKind = 'erasure' | 'export';

export type RequestStatus =
  | 'queued'
  | 'running'
  | 'waiting_on_stream'
  | 'completed'
  | 'failed'
  | 'partially_failed';

export const TERMINAL_STATUSES: readonly RequestStatus[] = [
  'completed',
  'failed',
  'partially_failed',
];

/** How users are erased. `soft` is not offered: it can be undone. */
export type ErasureMode = 'hard' | 'pruning';

export interface ErasureOptions {
  readonly mode: ErasureMode;
  readonly newChannelOwnerId?: string;
  /** Also delete files and images the users uploaded (Stream `files`). */
  readonly deleteFiles: boolean;
}

export type ExportOptions = Record<string, never>;

export type BatchTarget = 'users' | 'channels' | 'export';

export type BatchStatus =
  'pending' | 'submitting' | 'waiting_on_stream' | 'completed' | 'failed';

/** A Stream-side failure, reduced to what is safe to store. */
export interface FailureReason {
  /** Our stable code, e.g. `stream_rejected`, `task_failed`, `timeout`. */
  readonly code: string;
  /** Human text without personal data or URLs. */
  readonly message: string;
  readonly httpStatus?: number;
  readonly streamCode?: number;
}

export interface BatchOutcome {
  readonly index: number;
  readonly target: BatchTarget;
  /** How many ids the batch holds (the ids themselves live once, elsewhere). */
  readonly size: number;
  readonly status: BatchStatus;
  readonly taskId?: string;
  readonly attempts: number;
  readonly submittedAt?: string;
  readonly finishedAt?: string;
  readonly error?: FailureReason;
}

/** One subject Stream reported as not handled. */
export interface SubjectFailure {
  readonly subject: string;
  readonly target: 'users' | 'channels';
  readonly reason: FailureReason;
}

export interface Verification {
  readonly checkedAt: string;
  readonly passed: boolean;
  /** Subjects Stream's query endpoints still list after the tasks ended. */
  readonly stillListed: readonly string[];
}

export interface ExportArtifact {
  /** Path relative to the request's export directory. */
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly taskId?: string;
  readonly userCount: number;
}

export interface ExportArtifacts {
  readonly directory: string;
  readonly manifest: string;
  readonly files: readonly ExportArtifact[];
  readonly expiresAt: string;
  readonly deletedAt?: string;
}

export interface RequestEvent {
  readonly at: string;
  readonly type: string;
}

export interface RequestRecord {
  readonly id: string;
  readonly kind: RequestKind;
  readonly status: RequestStatus;
  readonly subjects: {
    readonly userIds: readonly string[];
    readonly channelCids: readonly string[];
  };
  readonly counts: { readonly users: number; readonly channels: number };
  readonly options: ErasureOptions | ExportOptions;
  readonly receivedAt: string;
  readonly deadlineAt: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly batches: readonly BatchOutcome[];
  readonly failures: readonly SubjectFailure[];
  readonly verification?: Verification;
  readonly artifacts?: ExportArtifacts;
  readonly events: readonly RequestEvent[];
  readonly error?: FailureReason;
}
