import type {
  SandboxChannelView,
  SandboxState,
  SandboxTaskView,
  SandboxUserView,
} from './sandbox-types.js';
import type { ChannelRecord, Store, UserRecord } from './store.js';
import type { TaskRecord, Tasks } from './tasks.js';

/** The read-only view tests assert on; built fresh on every call. */
export function stateView(store: Store, tasks: Tasks): SandboxState {
  const user = (record: UserRecord): SandboxUserView => ({
    id: record.id,
    ...(record.name === undefined ? {} : { name: record.name }),
    ...(record.email === undefined ? {} : { email: record.email }),
    ...(record.deletedAt === undefined ? {} : { deletedAt: record.deletedAt }),
    ...(record.deleteMode === undefined
      ? {}
      : { deleteMode: record.deleteMode }),
    messageCount: store.messagesOf(record.id).length,
    reactionCount: store.reactionsOf(record.id).length,
  });
  const channel = (record: ChannelRecord): SandboxChannelView => ({
    cid: record.cid,
    memberIds: [...record.memberIds],
    ...(record.deletedAt === undefined ? {} : { deletedAt: record.deletedAt }),
    hardDeleted: record.hardDeleted,
    messageCount: store.messagesIn(record.cid).length,
    ...(record.createdById === undefined
      ? {}
      : { createdById: record.createdById }),
  });
  const task = (record: TaskRecord): SandboxTaskView => ({
    id: record.id,
    kind: record.kind,
    status: record.status,
    subjectIds: record.subjectIds,
    ...(record.unknownIds.length === 0
      ? {}
      : { unknownIds: record.unknownIds }),
  });

  return {
    user: (id) => {
      const record = store.users.get(id);
      return record === undefined ? undefined : user(record);
    },
    channel: (cid) => {
      const record = store.channels.get(cid);
      return record === undefined ? undefined : channel(record);
    },
    users: () => [...store.users.values()].map(user),
    channels: () => [...store.channels.values()].map(channel),
    tasks: () => [...tasks.all()].map(task),
    messageCountOf: (userId) => store.messagesOf(userId).length,
  };
}
