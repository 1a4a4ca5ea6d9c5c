import { z } from 'zod';

import type { StreamTask, TaskSubmitted } from './stream-types.js';

/**
 * The parts of Stream's answers our logic depends on, per reference §4-§10.
 * Objects are loose: Stream adds fields over time and we ignore them.
 * Optional fields also accept `null`, which some Stream versions send.
 */

const taskSubmittedSchema = z
  .object({ task_id: z.string().min(1) })
  .transform((body): TaskSubmitted => ({ taskId: body.task_id }));

const taskErrorSchema = z.object({
  type: z.string().nullish(),
  description: z.string().nullish(),
});

const taskSchema = z
  .object({
    task_id: z.string().min(1),
    status: z.string().min(1),
    created_at: z.string(),
    updated_at: z.string(),
    result: z.record(z.string(), z.unknown()).nullish(),
    error: taskErrorSchema.nullish(),
  })
  .transform((body): StreamTask => {
    const error = body.error
      ? {
          ...(body.error.type ? { type: body.error.type } : {}),
          ...(body.error.description
            ? { description: body.error.description }
            : {}),
        }
      : undefined;
    return {
      taskId: body.task_id,
      status: body.status,
      createdAt: body.created_at,
      updatedAt: body.updated_at,
      ...(body.result ? { result: body.result } : {}),
      ...(error ? { error } : {}),
    };
  });

const queryUsersSchema = z
  .object({ users: z.array(z.object({ id: z.string() })) })
  .transform((body) => ({ ids: unique(body.users.map((user) => user.id)) }));

const queryChannelsSchema = z
  .object({
    channels: z.array(z.object({ channel: z.object({ cid: z.string() }) })),
  })
  .transform((body) => ({
    cids: unique(body.channels.map((entry) => entry.channel.cid)),
  }));

/** Export User must at least be an object holding the user's profile. */
const exportUserSchema = z.object({ user: z.object({}).loose() });

export const streamSchemas = {
  taskSubmitted: taskSubmittedSchema,
  task: taskSchema,
  queryUsers: queryUsersSchema,
  queryChannels: queryChannelsSchema,
  exportUser: exportUserSchema,
} as const;

/**
 * Where the body went wrong, as field paths only: zod's own messages can
 * quote received values, which may be ids.
 */
export function describeIssues(error: z.ZodError): string {
  const paths = error.issues
    .slice(0, 3)
    .map((issue) => issue.path.map(String).join('.') || '(body)');
  return `invalid ${[...new Set(paths)].join(', ')}`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
