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
  /** Position of the batch's first id in the request's list of its target. */
  readonly offset?: number;
  /**
   * Times the batch was found `submitting` without a task id (a crash, a
   * timeout or a lost answer after the call went out) and checked against
   * Stream before anything was sent again.
   */
  readonly reconciliations?: number;
  /** Of those, the times some subjects were still listed and resubmitted. */
  readonly resubmissions?: number;
  /** Earlier task ids of this batch (failed tasks that were resubmitted). */
  readonly taskHistory?: readonly string[];
  /** When the current task was first polled in this attempt (timeout clock). */
  readonly pollingSince?: string;
  /** Next poll interval, grown by 1.5 per poll. */
  readonly pollDelayMs?: number;
  /** Ids of the batch that Stream reported as not handled. */
  readonly failedCount?: number;
  /** The file an export batch produced. */
  readonly artifact?: ExportArtifact;
  /** `sync` when Export User served the batch's users instead of a task. */
  readonly via?: 'task' | 'sync';
  /** An export batch Export Users refused, exported user by user. */
  readonly split?: ExportSplit;
}

/**
 * Progress of an export batch exported one user at a time with Export
 * User, in batch order. Users are named by their position in the batch,
 * never by id.
 */
export interface ExportSplit {
  /** Why Export Users could not serve the batch. */
  readonly cause: FailureReason;
  /** How many of the batch's users were handled (written or refused). */
  readonly done: number;
  /** One file per exported user. */
  readonly files: readonly (ExportArtifact & { readonly position: number })[];
  /** The users Stream refused, and why. */
  readonly refused: readonly {
    readonly position: number;
    readonly reason: FailureReason;
  }[];
  /**
   * The Export Users task of the user at `position`, whom Export User
   * refused; recorded before any wait, so a later run resumes it.
   */
  readonly task?: {
    readonly position: number;
    readonly taskId: string;
    readonly since: string;
    readonly pollDelayMs: number;
  };
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
  /** How many are still listed; `stillListed` holds at most 1,000 of them. */
  readonly stillListedCount?: number;
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
  /** A short note without personal data, e.g. a batch index or a count. */
  readonly detail?: string;
}

/**
 * Where a request stands against its deadline. Open: `on_track`, `due_soon`
 * (7 days or less left) or `overdue`; finished: `met` or `missed`.
 */
export type DeadlineState =
  'on_track' | 'due_soon' | 'overdue' | 'met' | 'missed';

export interface DeadlineFlag {
  readonly state: DeadlineState;
  /**
   * Whole days from now (a finished request: from `finishedAt`) to the
   * deadline, rounded away from zero; negative once the deadline passed.
   */
  readonly daysLeft: number;
}

/** How the completion webhook fared (written by src/webhook). */
export interface WebhookDeliveryStatus {
  readonly state: 'pending' | 'delivered' | 'failed';
  /** The request status this delivery announces. */
  readonly requestStatus: RequestStatus;
  readonly attempts: number;
  /** HTTP status of the last attempt; 0 when no answer came. */
  readonly lastStatus: number;
  readonly lastAttemptAt: string;
  readonly deliveredAt?: string;
  readonly failedAt?: string;
}

export interface RequestRecord {
  readonly id: string;
  readonly kind: RequestKind;
  readonly status: RequestStatus;
  readonly subjects: {
    /**
     * The user ids; once `pseudonymised`, their keyed fingerprints
     * (HMAC-SHA256, hex) instead, as are the subjects in `failures` and
     * `verification.stillListed`.
     */
    readonly userIds: readonly string[];
    readonly channelCids: readonly string[];
    /** True once the finished request's ids were replaced by fingerprints. */
    readonly pseudonymised?: boolean;
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
  /** Batches planned and batches ended, for progress displays. */
  readonly progress?: { readonly batches: number; readonly done: number };
  /** Total per-id failures; `failures` holds at most 1,000 of them. */
  readonly failureCount?: number;
  /** True when `subjects` was left out or cut short on purpose. */
  readonly subjectsTruncated?: boolean;
  /**
   * The deadline flag, computed when the record is read. Records read from
   * the store always carry it; optional only for records built by hand.
   */
  readonly deadline?: DeadlineFlag;
  /** The completion webhook's delivery, when one is configured. */
  readonly webhook?: WebhookDeliveryStatus;
}
