import { describe, expect, it } from 'vitest';
import { orderColumns, totalCrossings } from '../../src/catalog/graph/column-order.ts';
import type { Graph } from '../../src/catalog/graph/types.ts';

/** A graph of `pairs` [left, right] edges; nodes named by column. */
function bipartite(pairs: readonly (readonly [number, number])[]): Graph {
  const ids = new Set<string>();
  for (const [l, r] of pairs) {
    ids.add(`l${l}`);
    ids.add(`r${r}`);
  }
  return {
    nodes: [...ids].map((id) => ({ id, label: id, kind: 'context' as const })),
    edges: pairs.map(([l, r]) => ({ id: `l${l}>r${r}`, source: `l${l}`, target: `r${r}` })),
  };
}

function rightNeighbours(graph: Graph): Map<string, string[]> {
  const right = new Map<string, string[]>();
  for (const e of graph.edges) right.set(e.source, [...(right.get(e.source) ?? []), e.target]);
  return right;
}

/** Deterministic shuffle (a fixed LCG), so a failure reproduces. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('orderColumns', () => {
  it('counts crossings: two edges that swap sides cross once, parallel ones never', () => {
    const g = bipartite([
      [0, 1],
      [1, 0],
      [2, 2],
    ]);
    expect(
      totalCrossings(
        [
          ['l0', 'l1', 'l2'],
          ['r0', 'r1', 'r2'],
        ],
        rightNeighbours(g),
      ),
    ).toBe(1);
    expect(
      totalCrossings(
        [
          ['l0', 'l1', 'l2'],
          ['r1', 'r0', 'r2'],
        ],
        rightNeighbours(g),
      ),
    ).toBe(0);
  });

  it('untangles a shuffled graph that can be drawn without crossings', () => {
    // A chain l0–r0–l1–r1–… zig-zags without crossings only in one order (or its mirror).
    const pairs: [number, number][] = [];
    for (let i = 0; i < 30; i++) {
      pairs.push([i, i]);
      if (i + 1 < 30) pairs.push([i + 1, i]);
    }
    const g = bipartite(pairs);
    const column = (prefix: string, seed: number): string[] =>
      shuffled(
        Array.from({ length: 30 }, (_, i) => `${prefix}${i}`),
        seed,
      );
    const left = column('l', 7);
    const right = column('r', 11);
    const before = totalCrossings([left, right], rightNeighbours(g));
    const ordered = orderColumns(g, [left, right]);
    expect(before).toBeGreaterThan(50);
    expect(totalCrossings(ordered, rightNeighbours(g))).toBe(0);
  });

  it('never returns more crossings than it was given, and keeps every node exactly once', () => {
    const pairs: [number, number][] = [];
    let s = 3;
    for (let i = 0; i < 400; i++) {
      s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
      pairs.push([s % 40, Math.floor(s / 40) % 40]);
    }
    const g = bipartite(pairs);
    const columns = [[...new Set(pairs.map(([l]) => `l${l}`))], [...new Set(pairs.map(([, r]) => `r${r}`))]];
    const ordered = orderColumns(g, columns);
    expect(totalCrossings(ordered, rightNeighbours(g))).toBeLessThanOrEqual(
      totalCrossings(columns, rightNeighbours(g)),
    );
    expect(ordered.map((c) => [...c].sort())).toEqual(columns.map((c) => [...c].sort()));
    // Deterministic: the same input gives the same order.
    expect(orderColumns(g, columns)).toEqual(ordered);
  });

  it('leaves an order without crossings as it is, isolated nodes included', () => {
    const g = bipartite([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
    const columns = [
      ['l0', 'l1', 'l2', 'lonely'],
      ['r0', 'r1', 'r2'],
    ];
    expect(orderColumns(g, columns)).toEqual(columns);
  });

  it('orders three columns, ignoring edges that skip one', () => {
    const g: Graph = {
      nodes: ['a', 'b', 'x', 'y', 'p', 'q'].map((id) => ({ id, label: id, kind: 'service' as const })),
      edges: [
        { id: '1', source: 'a', target: 'y' },
        { id: '2', source: 'b', target: 'x' },
        { id: '3', source: 'x', target: 'q' },
        { id: '4', source: 'y', target: 'p' },
        { id: '5', source: 'a', target: 'q' },
      ],
    };
    const ordered = orderColumns(g, [
      ['a', 'b'],
      ['x', 'y'],
      ['p', 'q'],
    ]);
    const right = rightNeighbours({ ...g, edges: g.edges.filter((e) => e.id !== '5') });
    expect(totalCrossings(ordered, right)).toBe(0);
  });
});
