// A graph to draw: nodes with sizes, edges between them; after layout every node has a position and
// every edge a polyline.

export type NodeKind = 'service' | 'event' | 'command' | 'context' | 'external' | 'more' | 'group';

/** One event of a grouped node (a large fan-out drawn as one node and listed under the graph). */
export interface GroupMember {
  readonly label: string;
  readonly href: string;
  /** Full event type. */
  readonly title: string;
}

export interface GraphNode {
  readonly id: string;
  readonly label: string;
  readonly sublabel?: string;
  readonly kind: NodeKind;
  readonly href?: string;
  /** On the saga path. */
  readonly highlight?: boolean;
  /** The page's own subject (the service on its own page). */
  readonly focus?: boolean;
  /** Tooltip. */
  readonly title?: string;
  /** For `group` nodes: the events it stands for (listed under the graph, where its link points). */
  readonly members?: readonly GroupMember[];
}

export interface GraphEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly label?: string;
  /** Tooltip. */
  readonly title?: string;
  readonly highlight?: boolean;
}

export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface PlacedNode extends GraphNode {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedEdge extends GraphEdge {
  readonly points: readonly Point[];
  /** Draw as a smooth curve between the first and last point (hand layouts) instead of a polyline. */
  readonly curve?: boolean;
  /** Where along a curved edge its label sits (0 = source, 1 = target); default the middle. */
  readonly labelAt?: number;
}

export interface PlacedGraph {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
}

/** Estimated node size from its text (no font metrics at build time; system-ui at 13px ≈ 7.3px per char). */
export function nodeSize(node: GraphNode): { width: number; height: number } {
  const chars = Math.max(node.label.length, (node.sublabel?.length ?? 0) * 0.85);
  const width = Math.round(Math.max(node.kind === 'event' ? 120 : 110, chars * 7.6 + 32));
  const height = node.sublabel ? 44 : 32;
  return { width, height };
}
