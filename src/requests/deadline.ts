import type { DeadlineFlag } from './request-record.js';

/**
 * The GDPR deadline: one calendar month after the request was received
 * (Art. 12(3)). When the next month is shorter, the deadline is its last
 * day (31 January → 28/29 February), at the same time of day, in UTC.
 */
export function oneMonthAfter(receivedAt: Date): Date {
  const year = receivedAt.getUTCFullYear();
  const month = receivedAt.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(receivedAt.getUTCDate(), lastDay);
  return new Date(
    Date.UTC(
      year,
      month,
      day,
      receivedAt.getUTCHours(),
      receivedAt.getUTCMinutes(),
      receivedAt.getUTCSeconds(),
      receivedAt.getUTCMilliseconds(),
    ),
  );
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** An open request this close to its deadline is `due_soon`. */
export const DUE_SOON_MS = 7 * DAY_MS;

/**
 * The deadline flag of a record, at `now` (epoch ms). A finished request
 * is judged by when it finished: `met` on or before the deadline, `missed`
 * after it. Boundaries match the metrics: at the deadline is overdue, 7
 * days before it is due soon.
 */
export function deadlineFlag(
  deadlineAt: string,
  finishedAt: string | undefined,
  now: number,
): DeadlineFlag {
  const deadline = Date.parse(deadlineAt);
  const finished = finishedAt === undefined ? NaN : Date.parse(finishedAt);
  if (!Number.isFinite(deadline)) return { state: 'on_track', daysLeft: 0 };
  if (Number.isFinite(finished)) {
    return {
      state: finished <= deadline ? 'met' : 'missed',
      daysLeft: wholeDays(deadline - finished),
    };
  }

  const left = deadline - now;
  const state =
    left <= 0 ? 'overdue' : left <= DUE_SOON_MS ? 'due_soon' : 'on_track';
  return { state, daysLeft: wholeDays(left) };
}

/** Rounded away from zero, so any time past the deadline is at least -1. */
function wholeDays(ms: number): number {
  const days = Math.ceil(Math.abs(ms) / DAY_MS);
  return ms < 0 ? -days : days;
}
