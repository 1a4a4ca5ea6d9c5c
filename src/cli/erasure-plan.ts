import type { Config } from '../config/config.js';
import type { ErasureRequestInput } from '../requests/gdpr-client-types.js';
import { parseErasureInput } from '../requests/request-input.js';
import type { ErasureOptions } from '../requests/request-record.js';
import { STREAM_BATCH_LIMITS } from '../stream/stream-api.js';
import { count } from './plural.js';

/** What an erasure would ask of Stream; `erase --dry-run` prints it. */
export interface ErasurePlan {
  readonly dryRun: true;
  /** Undefined when the id would be generated at enqueue. */
  readonly requestId: string | undefined;
  readonly users: number;
  readonly channels: number;
  readonly userBatches: number;
  readonly channelBatches: number;
  readonly batchLimit: number;
  /** The Delete Users body options, null when no users are given. */
  readonly deleteUsers: {
    readonly user: ErasureOptions['mode'];
    readonly messages: ErasureOptions['mode'];
    readonly conversations: 'hard';
    readonly files: boolean;
    readonly new_channel_owner_id?: string;
  } | null;
  /** The Delete Channels body options, null when no channels are given. */
  readonly deleteChannels: { readonly hard_delete: true } | null;
  readonly receivedAt: string;
  readonly deadlineAt: string;
  readonly userIds: readonly string[];
  readonly channelCids: readonly string[];
  readonly warning: string;
}

/**
 * Validates the input with the library's own parser (so a dry run refuses
 * exactly what an enqueue would) and describes the Stream calls it would
 * lead to. Touches neither Redis nor Stream.
 */
export function planErasure(
  input: ErasureRequestInput,
  config: Config,
): ErasurePlan {
  const request = parseErasureInput(input, {
    maxSubjects: config.worker.maxSubjectsPerRequest,
  });
  const options = request.options as ErasureOptions;
  const users = request.userIds.length;
  const channels = request.channelCids.length;

  return {
    dryRun: true,
    requestId: input.requestId,
    users,
    channels,
    userBatches: Math.ceil(users / STREAM_BATCH_LIMITS.deleteUsers),
    channelBatches: Math.ceil(channels / STREAM_BATCH_LIMITS.deleteChannels),
    batchLimit: STREAM_BATCH_LIMITS.deleteUsers,
    deleteUsers:
      users === 0
        ? null
        : {
            user: options.mode,
            messages: options.mode,
            conversations: 'hard',
            files: options.deleteFiles,
            ...(options.newChannelOwnerId === undefined
              ? {}
              : { new_channel_owner_id: options.newChannelOwnerId }),
          },
    deleteChannels: channels === 0 ? null : { hard_delete: true },
    receivedAt: request.receivedAt.toISOString(),
    deadlineAt: request.deadlineAt.toISOString(),
    userIds: request.userIds,
    channelCids: request.channelCids,
    warning:
      `These ${count(users, 'user')} and ${count(channels, 'channel')} will be irreversibly ` +
      'deleted from Stream.',
  };
}

/** The plan for a terminal; ids stay out of it (use --json for them). */
export function formatPlan(plan: ErasurePlan): string {
  const lines = [
    'Dry run: nothing was enqueued.',
    '',
    `Request id: ${plan.requestId ?? '(generated when enqueued)'}`,
    `Received:   ${plan.receivedAt}`,
    `Deadline:   ${plan.deadlineAt}`,
    '',
  ];
  if (plan.deleteUsers) {
    const owner = plan.deleteUsers.new_channel_owner_id
      ? `, new_channel_owner_id set`
      : '';
    lines.push(
      `Delete Users:    ${count(plan.users, 'user')} in ${count(plan.userBatches, 'batch', 'batches')} of at most ${plan.batchLimit}`,
      `                 user=${plan.deleteUsers.user} messages=${plan.deleteUsers.messages} ` +
        `conversations=hard files=${plan.deleteUsers.files}${owner}`,
    );
  }
  if (plan.deleteChannels) {
    lines.push(
      `Delete Channels: ${count(plan.channels, 'channel')} in ${count(plan.channelBatches, 'batch', 'batches')} of at most ${plan.batchLimit}`,
      '                 hard_delete=true',
    );
  }
  lines.push('', plan.warning, '');
  return lines.join('\n');
}
