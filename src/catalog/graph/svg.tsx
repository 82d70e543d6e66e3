// Draws a placed graph as inline SVG. Nodes with an href are links (focusable, keyboard reachable);
// colours come from CSS variables so light and dark themes both apply.
import { groupAnchor } from './flow-graphs.ts';
import type { PlacedEdge, PlacedGraph, PlacedNode, Point } from './types.ts';

const r = (n: number): number => Math.round(n * 10) / 10;

/** Orthogonal polyline with rounded corners, or a horizontal S-curve for hand layouts. */
export function edgePath(edge: PlacedEdge): string {
  const pts = edge.points;
  const first = pts[0];
  const last = pts.at(-1);
  if (!first || !last) return '';
  if (edge.curve) {
    const dx = Math.max(24, Math.abs(last.x - first.x) / 2) * (last.x >= first.x ? 1 : -1);
    return `M${r(first.x)},${r(first.y)} C${r(first.x + dx)},${r(first.y)} ${r(last.x - dx)},${r(last.y)} ${r(last.x)},${r(last.y)}`;
  }
  let d = `M${r(first.x)},${r(first.y)}`;
  for (let i = 1; i < pts.length - 1; i++) {
    const p = pts[i] as Point;
    const prev = pts[i - 1] as Point;
    const next = pts[i + 1] as Point;
    const radius = Math.min(
      6,
      Math.hypot(p.x - prev.x, p.y - prev.y) / 2,
      Math.hypot(next.x - p.x, next.y - p.y) / 2,
    );
    const a = { x: p.x - Math.sign(p.x - prev.x) * radius, y: p.y - Math.sign(p.y - prev.y) * radius };
    const b = { x: p.x + Math.sign(next.x - p.x) * radius, y: p.y + Math.sign(next.y - p.y) * radius };
    d += ` L${r(a.x)},${r(a.y)} Q${r(p.x)},${r(p.y)} ${r(b.x)},${r(b.y)}`;
  }
  return `${d} L${r(last.x)},${r(last.y)}`;
}

/** Where an edge's label goes: along the curve at `labelAt`, else the middle of the polyline. */
function labelPoint(edge: PlacedEdge): Point | undefined {
  const pts = edge.points;
  if (pts.length === 0) return undefined;
  const a = pts[0] as Point;
  const b = pts.at(-1) as Point;
  if (edge.curve) {
    // The same cubic Bézier as edgePath draws.
    const dx = Math.max(24, Math.abs(b.x - a.x) / 2) * (b.x >= a.x ? 1 : -1);
    const t = edge.labelAt ?? 0.5;
    const u = 1 - t;
    const x = u * u * u * a.x + 3 * u * u * t * (a.x + dx) + 3 * u * t * t * (b.x - dx) + t * t * t * b.x;
    const y = u * u * u * a.y + 3 * u * u * t * a.y + 3 * u * t * t * b.y + t * t * t * b.y;
    return { x, y };
  }
  if (pts.length === 2) return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  return pts[Math.floor(pts.length / 2)];
}

function Node({ node, base }: { node: PlacedNode; base: string }) {
  const cls = `node node--${node.kind}${node.highlight ? ' node--saga' : ''}${node.focus ? ' node--focus' : ''}`;
  const rx = node.kind === 'event' || node.kind === 'command' || node.kind === 'group' ? node.height / 2 : 8;
  const cx = r(node.x + node.width / 2);
  const body = (
    <>
      <title>{node.title ?? (node.sublabel ? `${node.label} — ${node.sublabel}` : node.label)}</title>
      <rect x={r(node.x)} y={r(node.y)} width={node.width} height={node.height} rx={rx} />
      <text x={cx} y={r(node.y + (node.sublabel ? 18 : node.height / 2 + 4.5))} className="node-label">
        {node.label}
      </text>
      {node.sublabel ? (
        <text x={cx} y={r(node.y + 34)} className="node-sublabel">
          {node.sublabel}
        </text>
      ) : null}
    </>
  );
  return node.href ? (
    <a href={base + node.href} className={cls} data-node={node.id}>
      {body}
    </a>
  ) : (
    <g className={cls} data-node={node.id}>
      {body}
    </g>
  );
}

export function GraphSvg({
  graph,
  id,
  label,
  base,
}: {
  graph: PlacedGraph;
  id: string;
  label: string;
  base: string;
}) {
  const groups = graph.nodes.filter((n) => n.kind === 'group' && n.members);
  // The graph fits the width of its box (scaled down, never cut at the right edge) and scrolls inside a box
  // no taller than the window; "Actual size" (site.js) shows it unscaled, scrolling both ways.
  return (
    <div className="graph-box">
      <div className="graph-tools">
        <button
          type="button"
          className="graph-zoom"
          aria-pressed="false"
          aria-controls={`${id}-scroll`}
          hidden
        >
          Actual size
        </button>
      </div>
      <div className="graph-scroll" id={`${id}-scroll`} tabIndex={-1}>
        {/* biome-ignore lint/a11y/useSemanticElements: an SVG of links is a group, a fieldset cannot hold SVG */}
        <svg
          className="graph"
          id={id}
          viewBox={`0 0 ${graph.width} ${graph.height}`}
          width={graph.width}
          height={graph.height}
          style={{ maxWidth: `${graph.width}px` }}
          role="group"
          aria-label={label}
          data-nodes={graph.nodes.length}
          data-edges={graph.edges.length}
        >
          <defs>
            <marker
              id={`${id}-arrow`}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M0,0 L10,5 L0,10 z" className="arrow" />
            </marker>
            <marker
              id={`${id}-arrow-saga`}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M0,0 L10,5 L0,10 z" className="arrow arrow--saga" />
            </marker>
          </defs>
          <g className="edges">
            {graph.edges.map((e) => (
              <path
                key={e.id}
                d={edgePath(e)}
                className={e.highlight ? 'edge edge--saga' : 'edge'}
                markerEnd={`url(#${id}-arrow${e.highlight ? '-saga' : ''})`}
                data-from={e.source}
                data-to={e.target}
              >
                {e.title ? <title>{e.title}</title> : null}
              </path>
            ))}
          </g>
          <g className="edge-labels">
            {graph.edges.map((e) => {
              const m = e.label ? labelPoint(e) : undefined;
              return m ? (
                <text key={e.id} x={r(m.x)} y={r(m.y - 4)} className="edge-label">
                  {e.label}
                </text>
              ) : null;
            })}
          </g>
          <g className="nodes">
            {graph.nodes.map((n) => (
              <Node key={n.id} node={n} base={base} />
            ))}
          </g>
        </svg>
      </div>
      {groups.map((g) => (
        <div key={g.id} className="graph-group" id={groupAnchor(g.id)}>
          <p className="graph-group-title">
            {g.label} {g.sublabel ?? ''}
          </p>
          <ul className="inline-list">
            {(g.members ?? []).map((m) => (
              <li key={m.href}>
                <a className="chip" href={base + m.href} title={m.title}>
                  {m.label}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
