import type {
  DeleteUsersOptions,
  StreamResponse,
  StreamTask,
  TaskSubmitted,
  WrittenFile,
} from './stream-types.js';

/**
 * Everything the service asks of Stream. `StreamClient` implements it over
 * HTTP; nothing outside `src/stream/` builds a Stream URL or header.
 * Every method rejects with a `StreamError` subclass (see stream-errors.ts).
 */
export interface StreamApi {
  /** POST /users/delete; at most 100 ids. */
  deleteUsers(
    userIds: readonly string[],
    options: DeleteUsersOptions,
  ): Promise<StreamResponse<TaskSubmitted>>;

  /** POST /channels/delete with `hard_delete: true`; at most 100 cids. */
  deleteChannels(
    cids: readonly string[],
  ): Promise<StreamResponse<TaskSubmitted>>;

  /** POST /export/users; at most 25 ids. */
  exportUsers(
    userIds: readonly string[],
  ): Promise<StreamResponse<TaskSubmitted>>;

  /** GET /users/{id}/export, body written unchanged to `destination`. */
  exportUser(
    userId: string,
    destination: string,
  ): Promise<StreamResponse<WrittenFile>>;

  /** GET /tasks/{id}. */
  getTask(taskId: string): Promise<StreamResponse<StreamTask>>;

  /** GET /users with `id $in`; resolves to the ids Stream still lists. */
  queryUsers(
    userIds: readonly string[],
  ): Promise<StreamResponse<{ readonly ids: readonly string[] }>>;

  /** POST /channels with `cid $in`; resolves to the cids still listed. */
  queryChannels(
    cids: readonly string[],
  ): Promise<StreamResponse<{ readonly cids: readonly string[] }>>;

  /**
   * Streams an export file from a task's `result.url` to `destination`
   * without sending our credentials to that host.
   */
  downloadExport(
    url: string,
    destination: string,
  ): Promise<StreamResponse<WrittenFile>>;
}

/** Largest batch Stream accepts per call, by method. */
export const STREAM_BATCH_LIMITS = {
  deleteUsers: 100,
  deleteChannels: 100,
  exportUsers: 25,
  queryUsers: 100,
  queryChannels: 30,
} as const;
