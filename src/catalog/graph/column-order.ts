// Orders the nodes within fixed columns so edges between neighbouring columns cross as little as possible:
// the barycenter heuristic with alternating sweeps (Sugiyama's third step), keeping the best order seen.
// For graphs whose layers are known — the context-level flow is senders → receivers — this is what a
// layered layout engine would do, in milliseconds and without loading one.
import { columnIndex } from './column-layout.ts';
import type { Graph } from './types.ts';

/** Sweeps to try (each sweep goes left to right, then right to left); the best order seen is kept. */
const SWEEPS = 12;

/**
 * Returns `columns` with each column reordered. Deterministic: ties keep their current order, so an input
 * that already has no crossings comes back unchanged. Edges between non-adjacent columns, or within a column,
 * are ignored.
 */
export function orderColumns(graph: Graph, columns: readonly (readonly string[])[]): string[][] {
  const columnOf = columnIndex(columns);
  // Neighbours of each node in the column to its left and to its right.
  const left = new Map<string, string[]>();
  const right = new Map<string, string[]>();
  for (const e of graph.edges) {
    const a = columnOf.get(e.source);
    const b = columnOf.get(e.target);
    if (a === undefined || b === undefined || Math.abs(a - b) !== 1) continue;
    const [l, r] = a < b ? [e.source, e.target] : [e.target, e.source];
    push(right, l, r);
    push(left, r, l);
  }
  // Two starts: the order given, and a breadth-first walk of the graph (which lays a long chain out flat,
  // where sweeps from an arbitrary order get stuck in its folds). The better result wins; ties go to the first.
  let best: string[][] = columns.map((col) => [...col]);
  let bestCrossings = Number.POSITIVE_INFINITY;
  for (const start of [columns, breadthFirst(columns, columnOf, left, right)]) {
    const [order, crossings] = sweep(start, left, right);
    if (crossings < bestCrossings) {
      best = order;
      bestCrossings = crossings;
    }
  }
  return best;
}

/**
 * Swaps neighbours within a column while that removes crossings with both adjacent columns (the "transpose"
 * step of Gansner et al.): barycenter sweeps alone get stuck on long zig-zag chains.
 */
function transpose(
  order: string[][],
  left: ReadonlyMap<string, readonly string[]>,
  right: ReadonlyMap<string, readonly string[]>,
): void {
  const positions = order.map((col) => new Map(col.map((id, i) => [id, i])));
  for (let pass = 0; pass < TRANSPOSE_PASSES; pass++) {
    let improved = false;
    for (let c = 0; c < order.length; c++) {
      const col = order[c] as string[];
      const here = positions[c] as Map<string, number>;
      const before = positions[c - 1];
      const after = positions[c + 1];
      for (let i = 0; i + 1 < col.length; i++) {
        const u = col[i] as string;
        const v = col[i + 1] as string;
        let kept = 0;
        let swapped = 0;
        for (const [side, neighbours] of [
          [before, left],
          [after, right],
        ] as const) {
          if (!side) continue;
          kept += pairCrossings(neighbours.get(u), neighbours.get(v), side);
          swapped += pairCrossings(neighbours.get(v), neighbours.get(u), side);
        }
        if (swapped < kept) {
          col[i] = v;
          col[i + 1] = u;
          here.set(v, i);
          here.set(u, i + 1);
          improved = true;
        }
      }
    }
    if (!improved) return;
  }
}
const TRANSPOSE_PASSES = 20;

/** Crossings between the edges of `upper` (placed first) and of `lower` to one adjacent column. */
function pairCrossings(
  upper: readonly string[] | undefined,
  lower: readonly string[] | undefined,
  position: ReadonlyMap<string, number>,
): number {
  if (!upper || !lower) return 0;
  let count = 0;
  for (const a of upper) {
    const pa = position.get(a);
    if (pa === undefined) continue;
    for (const b of lower) {
      const pb = position.get(b);
      if (pb !== undefined && pb < pa) count++;
    }
  }
  return count;
}

/** Barycenter sweeps (each followed by a transpose pass) from `start`: the best order seen and its crossings. */
function sweep(
  start: readonly (readonly string[])[],
  left: ReadonlyMap<string, readonly string[]>,
  right: ReadonlyMap<string, readonly string[]>,
): [string[][], number] {
  const order = start.map((col) => [...col]);
  let best = order.map((col) => [...col]);
  let bestCrossings = totalCrossings(best, right);
  let previous = signature(order);
  for (let i = 0; i < SWEEPS && bestCrossings > 0; i++) {
    for (let c = 1; c < order.length; c++) order[c] = byBarycenter(order[c] ?? [], order[c - 1] ?? [], left);
    for (let c = order.length - 2; c >= 0; c--)
      order[c] = byBarycenter(order[c] ?? [], order[c + 1] ?? [], right);
    transpose(order, left, right);
    const crossings = totalCrossings(order, right);
    if (crossings < bestCrossings) {
      best = order.map((col) => [...col]);
      bestCrossings = crossings;
    }
    // A sweep that changes nothing has converged: the next would too.
    const now = signature(order);
    if (now === previous) break;
    previous = now;
  }
  return [best, bestCrossings];
}

/** Each column in the order a breadth-first walk reaches its nodes (walks start in the given order). */
function breadthFirst(
  columns: readonly (readonly string[])[],
  columnOf: ReadonlyMap<string, number>,
  left: ReadonlyMap<string, readonly string[]>,
  right: ReadonlyMap<string, readonly string[]>,
): string[][] {
  // Cuthill–McKee style: walks start at the least connected node (the end of a chain, not its middle) and
  // visit neighbours least connected first. Stable sorts keep the given order among equals.
  const degree = (id: string): number => (left.get(id)?.length ?? 0) + (right.get(id)?.length ?? 0);
  const byDegree = (ids: readonly string[]): string[] => [...ids].sort((a, b) => degree(a) - degree(b));
  const out: string[][] = columns.map(() => []);
  const seen = new Set<string>();
  for (const first of byDegree(columns.flat())) {
    if (seen.has(first)) continue;
    seen.add(first);
    const queue = [first];
    for (let q = 0; q < queue.length; q++) {
      const id = queue[q] as string;
      out[columnOf.get(id) as number]?.push(id);
      for (const n of byDegree([...(left.get(id) ?? []), ...(right.get(id) ?? [])])) {
        if (seen.has(n)) continue;
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return out;
}

function signature(columns: readonly (readonly string[])[]): string {
  return columns.map((col) => col.join('\u0000')).join('\u0001');
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Sorts `col` by the mean position of each node's neighbours in `fixed`; nodes without any keep their place. */
function byBarycenter(
  col: readonly string[],
  fixed: readonly string[],
  neighbours: ReadonlyMap<string, readonly string[]>,
): string[] {
  const position = new Map(fixed.map((id, i) => [id, i]));
  const keyed = col.map((id, i) => {
    const ps = (neighbours.get(id) ?? []).map((n) => position.get(n)).filter((p) => p !== undefined);
    // Scaled into the fixed column's range so isolated nodes stay roughly where they were.
    const own = col.length > 1 ? (i * Math.max(0, fixed.length - 1)) / (col.length - 1) : 0;
    const at = ps.length > 0 ? ps.reduce((s, p) => s + p, 0) / ps.length : own;
    return { id, at, i };
  });
  keyed.sort((a, b) => a.at - b.at || a.i - b.i);
  return keyed.map((k) => k.id);
}

/** Crossings between every pair of adjacent columns. */
export function totalCrossings(
  columns: readonly (readonly string[])[],
  right: ReadonlyMap<string, readonly string[]>,
): number {
  let total = 0;
  for (let i = 0; i + 1 < columns.length; i++)
    total += crossings(columns[i] ?? [], columns[i + 1] ?? [], right);
  return total;
}

/**
 * Crossings between two adjacent columns: with edges sorted by (left position, right position), two edges
 * cross exactly when their right positions are inverted, so this counts inversions (merge sort, O(E log E)).
 */
function crossings(
  leftCol: readonly string[],
  rightCol: readonly string[],
  right: ReadonlyMap<string, readonly string[]>,
): number {
  const position = new Map(rightCol.map((id, i) => [id, i]));
  const targets: number[] = [];
  for (const id of leftCol) {
    const ps = (right.get(id) ?? []).map((n) => position.get(n)).filter((p) => p !== undefined);
    ps.sort((a, b) => a - b);
    targets.push(...ps);
  }
  return inversions(targets);
}

function inversions(values: number[]): number {
  if (values.length < 2) return 0;
  const buffer = new Array<number>(values.length);
  let count = 0;
  for (let width = 1; width < values.length; width *= 2) {
    for (let lo = 0; lo < values.length - width; lo += width * 2) {
      const mid = lo + width;
      const hi = Math.min(lo + width * 2, values.length);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if ((values[j] as number) < (values[i] as number)) {
          count += mid - i;
          buffer[k++] = values[j++] as number;
        } else buffer[k++] = values[i++] as number;
      }
      while (i < mid) buffer[k++] = values[i++] as number;
      while (j < hi) buffer[k++] = values[j++] as number;
      for (let m = lo; m < hi; m++) values[m] = buffer[m] as number;
    }
  }
  return count;
}
