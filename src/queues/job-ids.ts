/**
 * BullMQ job ids derived from request ids, so adding the same job twice is
 * a no-op while it is retained. `~` cannot occur in a request id, which
 * keeps the ids unambiguous; none is an integer and none contains `:`,
 * both of which BullMQ refuses in custom ids.
 */
export const jobIds = {
  plan: (requestId: string) => `${requestId}~plan`,
  batch: (requestId: string, index: number) => `${requestId}~b${index}`,
  finalize: (requestId: string) => `${requestId}~finalize`,
  webhook: (requestId: string) => `${requestId}~webhook`,
  exportRetention: (requestId: string) => `${requestId}~retention`,
} as const;

/** Job names, as the dashboard shows them. They carry no request data. */
export const JOB_NAMES = {
  plan: 'plan',
  batch: 'batch',
  finalize: 'finalize',
  deliver: 'deliver',
  deleteExport: 'delete-export',
  sweepFailedJobs: 'sweep-failed-jobs',
} as const;

/** Data of every job: references only, never subject ids. */
export interface RequestJobData {
  readonly requestId: string;
}

export interface BatchJobData {
  readonly requestId: string;
  readonly batchIndex: number;
}
