import { z } from 'zod';

import { InputError, type InputIssue } from '../errors/input-error.js';
import { oneMonthAfter } from './deadline.js';
import type {
  ErasureRequestInput,
  ExportRequestInput,
} from './gdpr-client-types.js';
import {
  newRequestId,
  REQUEST_ID_PATTERN,
  REQUEST_ID_RULE,
} from './request-id.js';
import type {
  ErasureOptions,
  ExportOptions,
  RequestKind,
} from './request-record.js';
import { cidSchema, uniqueSorted, userIdSchema } from './subject-ids.js';

/** A validated request, ready to be stored. Ids are unique and sorted. */
export interface NewRequest {
  readonly id: string;
  readonly kind: RequestKind;
  readonly userIds: readonly string[];
  readonly channelCids: readonly string[];
  readonly options: ErasureOptions | ExportOptions;
  readonly receivedAt: Date;
  /** False when `receivedAt` defaulted to now. */
  readonly receivedAtGiven: boolean;
  readonly deadlineAt: Date;
}

export interface InputLimits {
  readonly maxSubjects: number;
  readonly now?: Date;
}

/** Clocks differ a little between the main app and us. */
const FUTURE_SKEW_MS = 5 * 60 * 1000;

const requestIdSchema = z
  .string({ error: 'expected a string' })
  .regex(REQUEST_ID_PATTERN, { error: REQUEST_ID_RULE });

const receivedAtSchema = z.union([z.date(), z.string()], {
  error: 'expected a Date or an ISO 8601 date string',
});

const idList = <T extends z.ZodType<string>>(item: T) =>
  z
    .array(item, { error: 'expected an array of ids' })
    .min(1, { error: 'expected at least one id; omit the field instead' });

const modeSchema = z
  .string({ error: 'expected hard or pruning' })
  .check((ctx) => {
    if (ctx.value === 'hard' || ctx.value === 'pruning') return;
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      message:
        ctx.value === 'soft'
          ? 'soft delete is not an erasure (Stream can restore it); use hard or pruning'
          : 'expected hard or pruning',
    });
  })
  .transform((value) => value as 'hard' | 'pruning')
  .optional();

const erasureSchema = z.strictObject({
  userIds: idList(userIdSchema).optional(),
  channelCids: idList(cidSchema).optional(),
  requestId: requestIdSchema.optional(),
  receivedAt: receivedAtSchema.optional(),
  mode: modeSchema,
  newChannelOwnerId: userIdSchema.optional(),
  deleteFiles: z.boolean({ error: 'expected true or false' }).optional(),
});

const exportSchema = z.strictObject({
  userIds: z
    .array(userIdSchema, { error: 'required: an array of user ids' })
    .min(1, { error: 'expected at least one id' }),
  requestId: requestIdSchema.optional(),
  receivedAt: receivedAtSchema.optional(),
});

/** Validates an erasure request; throws `InputError` naming each field. */
export function parseErasureInput(
  input: ErasureRequestInput,
  limits: InputLimits,
): NewRequest {
  precheckSize(input, limits);
  const data = parseWith(erasureSchema, input);
  const userIds = uniqueSorted(data.userIds ?? []);
  const channelCids = uniqueSorted(data.channelCids ?? []);
  if (userIds.length + channelCids.length === 0) {
    throw new InputError([
      {
        field: 'userIds',
        message: 'expected userIds or channelCids (or both)',
      },
    ]);
  }

  checkSize(userIds.length + channelCids.length, limits, 'userIds');
  const options: ErasureOptions = {
    mode: data.mode ?? 'hard',
    deleteFiles: data.deleteFiles ?? true,
    ...(data.newChannelOwnerId === undefined
      ? {}
      : { newChannelOwnerId: data.newChannelOwnerId }),
  };
  return build('erasure', data, userIds, channelCids, options, limits);
}

/** Validates an access (export) request; throws `InputError`. */
export function parseExportInput(
  input: ExportRequestInput,
  limits: InputLimits,
): NewRequest {
  precheckSize(input, limits);
  const data = parseWith(exportSchema, input);
  const userIds = uniqueSorted(data.userIds);
  checkSize(userIds.length, limits, 'userIds');
  return build('export', data, userIds, [], {}, limits);
}

function build(
  kind: RequestKind,
  data: {
    requestId?: string | undefined;
    receivedAt?: Date | string | undefined;
  },
  userIds: string[],
  channelCids: string[],
  options: ErasureOptions | ExportOptions,
  limits: InputLimits,
): NewRequest {
  const now = limits.now ?? new Date();
  const receivedAt = parseReceivedAt(data.receivedAt, now);
  return {
    id: data.requestId ?? newRequestId(),
    kind,
    userIds,
    channelCids,
    options,
    receivedAt,
    receivedAtGiven: data.receivedAt !== undefined,
    deadlineAt: oneMonthAfter(receivedAt),
  };
}

function parseReceivedAt(value: Date | string | undefined, now: Date): Date {
  if (value === undefined) return now;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new InputError([
      { field: 'receivedAt', message: 'expected a valid date' },
    ]);
  }

  if (date.getTime() > now.getTime() + FUTURE_SKEW_MS) {
    throw new InputError([
      { field: 'receivedAt', message: 'expected a date not in the future' },
    ]);
  }

  return date;
}

/** Refuses an oversized request before validating every id in it. */
function precheckSize(input: object | null, limits: InputLimits): void {
  if (typeof input !== 'object' || input === null) return;
  const lists = input as { userIds?: unknown; channelCids?: unknown };
  const length = (value: unknown) => (Array.isArray(value) ? value.length : 0);
  const total = length(lists.userIds) + length(lists.channelCids);
  // Duplicates are removed later; only refuse what cannot fit even then.
  if (total > 2 * limits.maxSubjects) checkSize(total, limits, 'userIds');
}

function checkSize(total: number, limits: InputLimits, field: string): void {
  if (total <= limits.maxSubjects) return;
  throw new InputError([
    {
      field,
      message:
        `a request holds at most ${limits.maxSubjects} subjects in total ` +
        `(got ${total}); split it into several requests`,
    },
  ]);
}

function parseWith<T extends z.ZodType>(
  schema: T,
  input: unknown,
): z.output<T> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InputError([{ field: '', message: 'expected an object' }]);
  }

  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new InputError(parsed.error.issues.map(toIssue));
}

function toIssue(issue: z.core.$ZodIssue): InputIssue {
  const field = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return {
      field: issue.keys.join(', '),
      message: 'unknown field (check the spelling)',
    };
  }

  return { field, message: issue.message };
}
