// Layered layout with elkjs at build time. One ELK instance per process: creating it costs more than a layout.
import { createRequire } from 'node:module';
import type { ELK, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import { CatalogError } from '../errors.ts';
import {
  type Graph,
  nodeSize,
  type PlacedEdge,
  type PlacedGraph,
  type PlacedNode,
  type Point,
} from './types.ts';

// elk.bundled.js is CommonJS (`module.exports = ELK`), 1.6 MB of it. Loaded with require on first use: an ESM
// import has Node scan the whole file for named exports (and the tsx loader look at it), which costs ~1 s
// against ~0.2 s.
type ElkConstructor = new () => ELK;
const require = createRequire(import.meta.url);
let elk: ELK | undefined;

const layoutOptions: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '150',
  'elk.spacing.nodeNode': '16',
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '6',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.padding': '[top=16,left=16,bottom=16,right=16]',
};

/**
 * Lays the graph out left to right. With `curved`, ELK only places the nodes (its crossing minimisation is
 * what we want) and edges are drawn as S-curves between node sides, which reads better for two or three layers.
 */
const LARGE = 80;
const largeGraphOptions: Record<string, string> = {
  'elk.layered.thoroughness': '2',
  'elk.layered.nodePlacement.strategy': 'SIMPLE',
  'elk.edgeRouting': 'POLYLINE',
};

export async function layoutGraph(graph: Graph, options: { curved?: boolean } = {}): Promise<PlacedGraph> {
  elk ??= new (require('elkjs/lib/elk.bundled.js') as ElkConstructor)();
  const sizes = new Map(graph.nodes.map((n) => [n.id, nodeSize(n)]));
  const root: ElkNode = {
    id: '__root',
    // Large graphs: fewer crossing-minimisation sweeps and no edge routing (curved edges are drawn by us);
    // the default thoroughness costs seconds on a few hundred nodes for no visible gain.
    layoutOptions: graph.nodes.length > LARGE ? { ...layoutOptions, ...largeGraphOptions } : layoutOptions,
    children: graph.nodes.map((n) => ({
      id: n.id,
      ...(sizes.get(n.id) as { width: number; height: number }),
    })),
    edges: graph.edges.map((e): ElkExtendedEdge => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
  let result: ElkNode;
  try {
    result = await elk.layout(root);
  } catch (error) {
    throw new CatalogError(
      'layout-failed',
      `graph layout failed (${graph.nodes.length} nodes): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const placed = new Map((result.children ?? []).map((c) => [c.id, c]));
  const nodes: PlacedNode[] = graph.nodes.map((n) => {
    const p = placed.get(n.id);
    const size = sizes.get(n.id) as { width: number; height: number };
    return { ...n, x: p?.x ?? 0, y: p?.y ?? 0, width: size.width, height: size.height };
  });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const routed = new Map((result.edges ?? []).map((e) => [e.id, e as ElkExtendedEdge]));
  const edges: PlacedEdge[] = graph.edges.map((e) => {
    const a = byId.get(e.source);
    const b = byId.get(e.target);
    if (options.curved && a && b) {
      return {
        ...e,
        curve: true,
        points: [
          { x: a.x + a.width, y: a.y + a.height / 2 },
          { x: b.x, y: b.y + b.height / 2 },
        ],
      };
    }
    const section = routed.get(e.id)?.sections?.[0];
    const points: Point[] = section
      ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]
      : [];
    return { ...e, points };
  });
  return { width: Math.ceil(result.width ?? 0), height: Math.ceil(result.height ?? 0), nodes, edges };
}
