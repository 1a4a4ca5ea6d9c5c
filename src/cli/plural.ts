/** `1 user`, `2 users`: counts as people read them. */
export function count(
  n: number,
  singular: string,
  plural = `${singular}s`,
): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
