import type { BenchRow } from '../../bench/bench-types.js';
import {
  formatDuration,
  formatMegabytes,
  formatRatio,
  formatTable,
} from '../../bench/table.js';

const row = (overrides: Partial<BenchRow> = {}): BenchRow => ({
  id: 'x',
  scenario: '1 latency',
  measured: '4.0 s',
  baseline: '40.0 s',
  ratio: 10,
  goal: '≥ 8×',
  met: true,
  ...overrides,
});

describe('formatTable', () => {
  it('prints an aligned Markdown table with one line per row', () => {
    const lines = formatTable([
      row(),
      row({ scenario: '5 workers', ratio: 2.1, met: false }),
    ]).split('\n');

    expect(lines[0]).toMatch(
      /^\| scenario +\| measured +\| baseline +\| ratio +\| goal +\| met\? \|$/,
    );
    expect(lines[1]).toMatch(/^\|-+\|-+\|-+\|-+\|-+\|-+\|$/);
    expect(lines[2]).toContain('| 10.0× ');
    expect(lines[2]).toContain('| yes  |');
    expect(lines[3]).toContain('| 2.10× ');
    expect(lines[3]).toContain('| NO   |');
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
  });

  it('turns notes into numbered footnotes under the table', () => {
    const text = formatTable([
      row({ note: 'first reason' }),
      row(),
      row({ note: 'second reason' }),
    ]);

    expect(text).toContain('1 latency [1] ');
    expect(text).toContain('1 latency [2] ');
    expect(text.endsWith('[1] first reason\n[2] second reason')).toBe(true);
  });

  it('shows a dash where a row has no ratio or no goal to meet', () => {
    const text = formatTable([row({ ratio: undefined, met: undefined })]);

    expect(text.split('\n')[2]).toMatch(/\| — +\| ≥ 8× \| — +\|$/);
  });

  it('escapes pipes inside cells so the table keeps its columns', () => {
    const text = formatTable([row({ measured: 'a|b' })]);

    expect(text).toContain('a\\|b');
  });
});

describe('number formats', () => {
  it('formats ratios, durations and sizes for the table', () => {
    expect(formatRatio(0.923)).toBe('0.92×');
    expect(formatRatio(12.34)).toBe('12.3×');
    expect(formatRatio(250)).toBe('250×');
    expect(formatRatio(Number.NaN)).toBe('—');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatMegabytes(3 * 1024 * 1024)).toBe('3.0 MB');
  });
});
