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
