// Output helpers shared by every command: colours, diagnostics, tables.
export { type Colors, colorsFor } from './colors.ts';
export {
  countDiagnostics,
  type DiagnosticCounts,
  formatDiagnostic,
  formatDiagnosticsByFile,
  formatSummaryLine,
} from './diagnostics.ts';
export { formatRegistrySummary, type RegistrySummary, summarizeRegistry } from './registry-summary.ts';
export { formatTable } from './table.ts';
