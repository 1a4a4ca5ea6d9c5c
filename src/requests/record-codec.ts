import { deadlineFlag } from './deadline.js';
import { WEBHOOK_META_FIELD } from './record-keys.js';
import type {
  BatchOutcome,
  ErasureOptions,
  ExportArtifacts,
  ExportOptions,
  FailureReason,
  RequestEvent,
  RequestKind,
  RequestRecord,
  RequestStatus,
  SubjectFailure,
  Verification,
  WebhookDeliveryStatus,
} from './request-record.js';

/** Every status, in a fixed order (the index ZSETs are passed this way). */
export const STATUS_ORDER: readonly RequestStatus[] = [
  'queued',
  'running',
  'waiting_on_stream',
  'completed',
  'failed',
  'partially_failed',
];

export interface RecordParts {
  readonly meta: Record<string, string>;
  readonly userIds: readonly string[];
  readonly channelCids: readonly string[];
  readonly subjectsTruncated: boolean;
  readonly batches: Record<string, string>;
  readonly failures: readonly string[];
  readonly events: readonly string[];
  readonly stillListed: readonly string[];
}

/**
 * Assembles the public record from what Redis holds. The deadline flag is
 * computed for `now` (epoch ms), so it is current on every read.
 */
export function decodeRecord(
  id: string,
  parts: RecordParts,
  now: number = Date.now(),
): RequestRecord {
  const { meta } = parts;
  const batches = Object.values(parts.batches)
    .map((json) => JSON.parse(json) as BatchOutcome)
    .sort((a, b) => a.index - b.index);
  const verification = parseJson<Verification>(meta.verification);
  const total = Number(meta.batchTotal ?? 0);
  const failureCount = Number(meta.failureCount ?? parts.failures.length);
  return {
    id,
    kind: meta.kind as RequestKind,
    status: meta.status as RequestStatus,
    subjects: {
      userIds: parts.userIds,
      channelCids: parts.channelCids,
      ...(meta.pseudonymised === '1' ? { pseudonymised: true } : {}),
    },
    counts: {
      users: Number(meta.users ?? 0),
      channels: Number(meta.channels ?? 0),
    },
    options: parseJson<ErasureOptions | ExportOptions>(meta.options) ?? {},
    receivedAt: meta.receivedAt ?? '',
    deadlineAt: meta.deadlineAt ?? '',
    createdAt: meta.createdAt ?? '',
    updatedAt: meta.updatedAt ?? '',
    ...optional('startedAt', meta.startedAt),
    ...optional('finishedAt', meta.finishedAt),
    batches,
    failures: parts.failures.map((json) => JSON.parse(json) as SubjectFailure),
    ...optional(
      'verification',
      verification && {
        ...verification,
        stillListed: parts.stillListed,
      },
    ),
    ...optional('artifacts', parseJson<ExportArtifacts>(meta.artifacts)),
    events: parts.events.map((json) => JSON.parse(json) as RequestEvent),
    ...optional('error', parseJson<FailureReason>(meta.error)),
    progress: { batches: total, done: Number(meta.batchDone ?? 0) },
    failureCount,
    ...(parts.subjectsTruncated ? { subjectsTruncated: true } : {}),
    deadline: deadlineFlag(meta.deadlineAt ?? '', meta.finishedAt, now),
    ...optional('webhook', parseWebhook(meta[WEBHOOK_META_FIELD])),
  };
}

export function eventJson(type: string, at: Date, detail?: string): string {
  const event: RequestEvent = {
    at: at.toISOString(),
    type,
    ...(detail === undefined ? {} : { detail }),
  };
  return JSON.stringify(event);
}

/**
 * The webhook field is written by another module (and may be from an
 * older version), so a value that does not parse is left out, not thrown.
 */
function parseWebhook(
  value: string | undefined,
): WebhookDeliveryStatus | undefined {
  try {
    const parsed = parseJson<WebhookDeliveryStatus>(value);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function parseJson<T>(value: string | undefined): T | undefined {
  return value === undefined || value === ''
    ? undefined
    : (JSON.parse(value) as T);
}

function optional<K extends string, V>(
  key: K,
  value: V | undefined,
): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
