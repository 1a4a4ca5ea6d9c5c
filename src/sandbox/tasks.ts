import { randomUUID } from 'node:crypto';

import type { SandboxTaskView } from './sandbox-types.js';

type TaskKind = SandboxTaskView['kind'];
type TaskStatus = SandboxTaskView['status'];

export interface TaskRecord {
  readonly id: string;
  readonly kind: TaskKind;
  status: TaskStatus;
  readonly subjectIds: readonly string[];
  readonly unknownIds: readonly string[];
  readonly createdAt: string;
  updatedAt: string;
  /** Undefined once completed means every subject is `{status:'ok'}`. */
  result: Record<string, unknown> | undefined;
  error: { type: string; description: string } | undefined;
}

export interface TaskWork {
  readonly kind: TaskKind;
  readonly subjectIds: readonly string[];
  readonly unknownIds: readonly string[];
  /**
   * Applies the task's effects; returns its `result`, or undefined for
   * "every subject ok", built when asked for so that a million-id run does
   * not keep a million result objects.
   */
  readonly run: () => Record<string, unknown> | undefined;
  /** Undoes what the call did at once, when the task fails. */
  readonly undo: () => void;
}

/**
 * Async tasks: `pending` at creation, `running` halfway through the
 * configured duration, then `completed` (effects applied) or `failed`.
 */
export class Tasks {
  readonly #tasks = new Map<string, TaskRecord>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #failNext = new Map<TaskKind, string>();
  #durationMs: number;

  constructor(durationMs: number) {
    this.#durationMs = durationMs;
  }

  setDuration(ms: number): void {
    this.#durationMs = Math.max(0, ms);
  }

  failNext(kind: TaskKind, description: string): void {
    this.#failNext.set(kind, description);
  }

  get(id: string): TaskRecord | undefined {
    return this.#tasks.get(id);
  }

  all(): IterableIterator<TaskRecord> {
    return this.#tasks.values();
  }

  /** The `result` Get Task reports for a completed task. */
  static resultOf(task: TaskRecord): Record<string, unknown> {
    if (task.result !== undefined) return task.result;
    const result: Record<string, unknown> = {};
    for (const id of task.subjectIds) result[id] = { status: 'ok' };
    return result;
  }

  create(work: TaskWork): TaskRecord {
    const at = new Date().toISOString();
    const task: TaskRecord = {
      id: randomUUID(),
      kind: work.kind,
      status: 'pending',
      subjectIds: work.subjectIds,
      unknownIds: work.unknownIds,
      createdAt: at,
      updatedAt: at,
      result: undefined,
      error: undefined,
    };
    this.#tasks.set(task.id, task);

    // Decided now, so a later failNextTask cannot hit a task already queued.
    const failure = this.#failNext.get(work.kind);
    this.#failNext.delete(work.kind);
    this.#after(this.#durationMs / 2, () => this.#move(task, 'running'));
    this.#after(this.#durationMs, () => this.#finish(task, work, failure));
    return task;
  }

  /** Stops every pending timer; tasks stay where they are. */
  stop(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #after(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      action();
    }, ms);
    timer.unref();
    this.#timers.add(timer);
  }

  #move(task: TaskRecord, status: TaskStatus): void {
    if (task.status === 'completed' || task.status === 'failed') return;
    task.status = status;
    task.updatedAt = new Date().toISOString();
  }

  #finish(task: TaskRecord, work: TaskWork, failure: string | undefined): void {
    if (failure !== undefined) {
      work.undo();
      task.error = { type: 'TaskError', description: failure };
      this.#move(task, 'failed');
      return;
    }

    try {
      task.result = work.run();
      this.#move(task, 'completed');
    } catch (error) {
      work.undo();
      task.error = {
        type: 'InternalError',
        description: error instanceof Error ? error.message : String(error),
      };
      this.#move(task, 'failed');
    }
  }
}
