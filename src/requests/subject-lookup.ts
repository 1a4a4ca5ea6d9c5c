import { InputError } from '../errors/input-error.js';
import type {
  SubjectNotHandledReason,
  SubjectOutcome,
  SubjectRequestMatch,
} from './gdpr-client-types.js';
import { execOrThrow, type RecordStore } from './record-store.js';
import type { RequestKind, RequestStatus } from './request-record.js';
import {
  subjectDigest,
  subjectFingerprint,
  type SubjectKind,
} from './subject-fingerprint.js';
import { CID_PATTERN, USER_ID_PATTERN } from './subject-ids.js';
import {
  readSubjectIndex,
  type SubjectIndexScheme,
  type SubjectOutcomeCode,
} from './subject-index.js';

const OUTCOME_CODES: ReadonlySet<string> = new Set<SubjectOutcomeCode>([
  'done',
  'not_processed',
  'batch_failed',
  'subject_failed',
  'still_listed',
]);

/**
 * The subject's kind: as given, or told by its shape (a channel cid holds a
 * `:`, a user id cannot). Throws `InputError` for an id Stream would not
 * accept, naming the rule and never the value.
 */
export function subjectKindOf(subject: unknown, kind?: unknown): SubjectKind {
  if (kind !== undefined && kind !== 'user' && kind !== 'channel') {
    throw new InputError([
      { field: 'kind', message: "expected 'user' or 'channel'" },
    ]);
  }

  const text = typeof subject === 'string' ? subject : '';
  const isUser = USER_ID_PATTERN.test(text);
  const isChannel = CID_PATTERN.test(text);
  if (
    kind === 'user'
      ? isUser
      : kind === 'channel'
        ? isChannel
        : isUser || isChannel
  ) {
    return kind ?? (isChannel ? 'channel' : 'user');
  }

  throw new InputError([
    {
      field: 'subject',
      message:
        kind === 'channel'
          ? 'expected a channel cid "type:id"'
          : kind === 'user'
            ? 'expected a Stream user id'
            : 'expected a Stream user id or a channel cid "type:id"',
    },
  ]);
}

/**
 * Every finished request whose record (still) mentions the subject, oldest
 * first. Looks the subject up in the index under its plain digest and,
 * given the pseudonym key, under its keyed fingerprint; requests that
 * ended before the index existed, or that are still open, are not found.
 */
export async function findSubjectRequests(
  store: RecordStore,
  subject: string,
  kind: SubjectKind,
  pseudonymKey: string | undefined,
): Promise<SubjectRequestMatch[]> {
  const names: { scheme: SubjectIndexScheme; hex: string }[] = [
    { scheme: 'd', hex: subjectDigest(kind, subject) },
  ];
  if (pseudonymKey !== undefined) {
    const hex = subjectFingerprint(pseudonymKey, kind, subject);
    names.push({ scheme: 'k', hex });
  }

  const entries = await readSubjectIndex(store, names);
  const ids = [...entries.keys()];
  const read = store.redis.pipeline();
  for (const id of ids) {
    read.hmget(
      store.keys(id).meta,
      'kind',
      'status',
      'finishedAt',
      'pseudonymised',
    );
  }

  const metas = (await execOrThrow(read)) as (string | null)[][];
  const matches: SubjectRequestMatch[] = [];
  ids.forEach((requestId, i) => {
    const [requestKind, status, finishedAt, pseudonymised] = metas[i] ?? [];
    // The record expired before its index entry: nothing left to show.
    if (!requestKind || !status) return;
    const code = entries.get(requestId) ?? '';
    const outcome = toOutcome(requestKind as RequestKind, code);
    matches.push({
      requestId,
      kind: requestKind as RequestKind,
      status: status as RequestStatus,
      ...(finishedAt ? { finishedAt } : {}),
      subjectKind: kind,
      outcome,
      erased: outcome === 'erased',
      ...(OUTCOME_CODES.has(code) && code !== 'done'
        ? { reason: code as SubjectNotHandledReason }
        : {}),
      pseudonymised: pseudonymised === '1',
    });
  });
  return matches.sort((a, b) =>
    (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''),
  );
}

function toOutcome(kind: RequestKind, code: string): SubjectOutcome {
  const handled = code === 'done';
  if (kind === 'export') return handled ? 'exported' : 'not_exported';
  return handled ? 'erased' : 'not_erased';
}
