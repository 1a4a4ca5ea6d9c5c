/** Collects a repeatable single-value option, e.g. `--users-file a --users-file b`. */
export function appendFile(
  value: string,
  previous: string[] | undefined,
): string[] {
  return [...(previous ?? []), value];
}
