import type { BenchRow } from './bench-types.js';

const HEADERS = ['scenario', 'measured', 'baseline', 'ratio', 'goal', 'met?'];

/** `12.3×` for speedups and shares alike; two significant decimals below 10. */
export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '—';
  if (ratio >= 100) return `${ratio.toFixed(0)}×`;
  if (ratio >= 10) return `${ratio.toFixed(1)}×`;
  return `${ratio.toFixed(2)}×`;
}

export function formatMet(met: boolean | undefined): string {
  if (met === undefined) return '—';
  return met ? 'yes' : 'NO';
}

/** Seconds with one decimal, or milliseconds under one second. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Binary megabytes, one decimal. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/**
 * A Markdown table padded to align in a terminal, so the same text reads
 * on the console and pastes into the README. Notes become numbered
 * footnotes under the table instead of a column that would wrap.
 */
export function formatTable(rows: readonly BenchRow[]): string {
  const notes: string[] = [];
  const cells = rows.map((row) => {
    let scenario = row.scenario;
    if (row.note !== undefined && row.note !== '') {
      notes.push(row.note);
      scenario = `${scenario} [${notes.length}]`;
    }

    return [
      scenario,
      row.measured,
      row.baseline,
      formatRatio(row.ratio),
      row.goal,
      formatMet(row.met),
    ].map(escapeCell);
  });

  const widths = HEADERS.map((header, column) =>
    Math.max(header.length, ...cells.map((line) => line[column]!.length)),
  );
  const line = (values: readonly string[]) =>
    `| ${values.map((value, i) => value.padEnd(widths[i]!)).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;

  const table = [line(HEADERS), rule, ...cells.map(line)].join('\n');
  if (notes.length === 0) return table;
  const footnotes = notes.map((note, i) => `[${i + 1}] ${note}`);
  return `${table}\n\n${footnotes.join('\n')}`;
}

function escapeCell(value: string): string {
  return value.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
