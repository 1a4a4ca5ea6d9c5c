import type { ErasureMode, RequestRecord } from './request-record.js';

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
  close(): Promise<void>;
}
