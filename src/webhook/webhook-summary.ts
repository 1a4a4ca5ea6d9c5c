import type {
  RequestKind,
  RequestRecord,
  RequestStatus,
} from '../requests/request-record.js';

/**
 * What the completion webhook tells the main app. It names the request,
 * never its subjects: the main app already knows whom it asked about, and a
 * webhook body ends up in more logs than a record does.
 */
export interface WebhookSummary {
  readonly requestId: string;
  readonly kind: RequestKind;
  readonly status: RequestStatus;
  readonly counts: { readonly users: number; readonly channels: number };
  readonly receivedAt: string;
  readonly deadlineAt: string;
  readonly finishedAt: string | null;
  /** Null for exports, which have nothing to verify. */
  readonly verification: {
    readonly passed: boolean;
    readonly stillListedCount: number;
  } | null;
  readonly batches: { readonly total: number; readonly failed: number };
}

export function toWebhookSummary(record: RequestRecord): WebhookSummary {
  return {
    requestId: record.id,
    kind: record.kind,
    status: record.status,
    counts: { users: record.counts.users, channels: record.counts.channels },
    receivedAt: record.receivedAt,
    deadlineAt: record.deadlineAt,
    finishedAt: record.finishedAt ?? null,
    verification: record.verification
      ? {
          passed: record.verification.passed,
          stillListedCount:
            record.verification.stillListedCount ??
            record.verification.stillListed.length,
        }
      : null,
    batches: {
      total: record.batches.length,
      failed: record.batches.filter((batch) => batch.status === 'failed')
        .length,
    },
  };
}
