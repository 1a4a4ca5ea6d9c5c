import type {
  ErasureMode,
  RequestKind,
  RequestRecord,
  RequestStatus,
} from './request-record.js';

/** Input of `requestErasure`; at least one of the two id lists. */
export interface ErasureRequestInput {
  readonly userIds?: readonly string[];
  readonly channelCids?: readonly string[];
  readonly requestId?: string;
  /** When the data subject asked; the deadline is one month later. */
  readonly receivedAt?: Date | string;
  readonly mode?: ErasureMode;
  readonly newChannelOwnerId?: string;
  readonly deleteFiles?: boolean;
}

export interface ExportRequestInput {
  readonly userIds: readonly string[];
  readonly requestId?: string;
  readonly receivedAt?: Date | string;
}

export interface EnqueueResult {
  readonly requestId: string;
  /** False when this id already existed with the same content. */
  readonly created: boolean;
  readonly record: RequestRecord;
}

export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly onProgress?: (record: RequestRecord) => void;
}

/** What a finished request did with one subject. */
export type SubjectOutcome =
  'erased' | 'not_erased' | 'exported' | 'not_exported';

/**
 * Why a request did not erase (or export) a subject: its batch never ran,
 * its batch failed, Stream reported the id as not handled, or Stream still
 * listed it after the tasks ended.
 */
export type SubjectNotHandledReason =
  'not_processed' | 'batch_failed' | 'subject_failed' | 'still_listed';

/** One finished request whose record mentions the subject looked up. */
export interface SubjectRequestMatch {
  readonly requestId: string;
  readonly kind: RequestKind;
  readonly status: RequestStatus;
  readonly finishedAt?: string;
  readonly subjectKind: 'user' | 'channel';
  readonly outcome: SubjectOutcome;
  /** True when this request is an erasure that erased the subject. */
  readonly erased: boolean;
  /** Set when the outcome is `not_erased` or `not_exported`. */
  readonly reason?: SubjectNotHandledReason;
  /** True when the record keeps fingerprints instead of the ids. */
  readonly pseudonymised: boolean;
}

export interface GdprClient {
  requestErasure(input: ErasureRequestInput): Promise<EnqueueResult>;
  requestExport(input: ExportRequestInput): Promise<EnqueueResult>;
  /** `subjectLimit` caps the subject ids returned per list (all if omitted). */
  getRequest(
    requestId: string,
    options?: { readonly subjectLimit?: number },
  ): Promise<RequestRecord | undefined>;
  waitForRequest(
    requestId: string,
    options?: WaitOptions,
  ): Promise<RequestRecord>;
  /**
   * The finished requests that mention a subject (a user id, or a channel
   * cid), oldest first; an empty list when none does. `kind` is told by the
   * id's shape when omitted. Pseudonymised records are found only when the
   * client was given their `pseudonymKey`.
   */
  findRequestsForSubject(
    subject: string,
    kind?: 'user' | 'channel',
  ): Promise<SubjectRequestMatch[]>;
  close(): Promise<void>;
}
