// Plain text tables with aligned columns (width measured without colour codes).
import type { Colors } from './colors.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes.
const visibleLength = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '').length;

export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  c: Colors,
): string {
  const widths = headers.map((h, i) =>
    Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) =>
        i === cells.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleLength(cell)),
      )
      .join('  ')
      .trimEnd();
  return [c.bold(line(headers)), ...rows.map(line)].join('\n');
}
