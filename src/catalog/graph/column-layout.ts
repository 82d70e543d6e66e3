// A hand layout for neighbourhood graphs (a service with what flows in and out, a context with its neighbours):
// fixed columns, nodes stacked and centred, curved edges. Deterministic, O(n), and readable without a layout engine.
import {
  type Graph,
  type GraphNode,
  nodeSize,
  type PlacedEdge,
  type PlacedGraph,
  type PlacedNode,
} from './types.ts';

const COLUMN_GAP = 110;
const ROW_GAP = 12;
const PAD = 16;

/**
 * Lays out `columns` (lists of node ids, left to right). Every node of the graph must be in one column.
 * `gap` is the room between columns: wider for many crossing edges.
 */
export function columnLayout(
  graph: Graph,
  columns: readonly (readonly string[])[],
  { gap = COLUMN_GAP }: { gap?: number } = {},
): PlacedGraph {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const sizes = new Map(graph.nodes.map((n) => [n.id, nodeSize(n)]));
  const heights = columns.map(
    (col) =>
      col.reduce((h, id) => h + (sizes.get(id)?.height ?? 0), 0) + Math.max(0, col.length - 1) * ROW_GAP,
  );
  const height = Math.max(0, ...heights) + PAD * 2;
  const nodes: PlacedNode[] = [];
  let x = PAD;
  columns.forEach((col, i) => {
    const width = Math.max(0, ...col.map((id) => sizes.get(id)?.width ?? 0));
    let y = PAD + (height - PAD * 2 - (heights[i] ?? 0)) / 2;
    for (const id of col) {
      const node = byId.get(id) as GraphNode;
      const size = sizes.get(id) as { width: number; height: number };
      nodes.push({ ...node, x: x + (width - size.width) / 2, y, width: size.width, height: size.height });
      y += size.height + ROW_GAP;
    }
    if (col.length > 0) x += width + gap;
  });
  const placed = new Map(nodes.map((n) => [n.id, n]));
  const columnOf = columnIndex(columns);
  const last = columns.length - 1;
  const edges: PlacedEdge[] = [];
  for (const e of graph.edges) {
    const a = placed.get(e.source);
    const b = placed.get(e.target);
    if (!a || !b) continue;
    const leftToRight = a.x < b.x;
    const start = { x: leftToRight ? a.x + a.width : a.x, y: a.y + a.height / 2 };
    const end = { x: leftToRight ? b.x : b.x + b.width, y: b.y + b.height / 2 };
    // Labels sit near the outer column, where edges fan out least, so they do not pile up in the middle.
    const labelAt = columnOf.get(e.source) === 0 ? 0.2 : columnOf.get(e.target) === last ? 0.8 : 0.5;
    edges.push({ ...e, points: [start, end], curve: true, labelAt });
  }
  return { width: Math.ceil(x - gap + PAD), height: Math.ceil(height), nodes, edges };
}

/** Which column each node id is in. */
export function columnIndex(columns: readonly (readonly string[])[]): Map<string, number> {
  const columnOf = new Map<string, number>();
  columns.forEach((col, i) => {
    for (const id of col) columnOf.set(id, i);
  });
  return columnOf;
}
