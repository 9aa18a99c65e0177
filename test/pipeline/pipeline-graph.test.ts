import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGraph, findCycle, type StepDependencies } from '../../src/pipeline/pipeline-graph.ts';

const deps = (entries: Record<string, string[]>): StepDependencies =>
  new Map(Object.entries(entries));

/** Every edge parent → child has the parent first. */
function respectsEdges(graph: StepDependencies, order: readonly string[]): boolean {
  const at = new Map(order.map((name, i) => [name, i]));
  return [...graph].every(([name, parents]) =>
    parents.every((p) => (at.get(p) as number) < (at.get(name) as number)),
  );
}

describe('buildGraph', () => {
  it('orders a diamond, with parents, children, roots and leaves', () => {
    const g = buildGraph(deps({ a: [], c: ['a'], b: ['a'], d: ['b', 'c'] }));
    expect(g.order).toEqual(['a', 'c', 'b', 'd']);
    expect(g.parents.get('d')).toEqual(['b', 'c']);
    expect(g.children.get('a')).toEqual(['c', 'b']);
    expect(g.roots).toEqual(['a']);
    expect(g.leaves).toEqual(['d']);
  });

  it('orders a wide graph in declaration order among ready steps', () => {
    const g = buildGraph(
      deps({ w3: ['src'], w1: ['src'], sink: ['w1', 'w2', 'w3'], src: [], w2: ['src'] }),
    );
    expect(g.order).toEqual(['src', 'w3', 'w1', 'w2', 'sink']);
    expect(g.roots).toEqual(['src']);
    expect(g.leaves).toEqual(['sink']);
  });

  it('orders a chain declared backwards, and unconnected steps as declared', () => {
    expect(buildGraph(deps({ c: ['b'], b: ['a'], a: [] })).order).toEqual(['a', 'b', 'c']);
    const free = buildGraph(deps({ y: [], x: [] }));
    expect(free.order).toEqual(['y', 'x']);
    expect(free.roots).toEqual(['y', 'x']);
    expect(free.leaves).toEqual(['y', 'x']);
  });

  it('orders a 10,000-step chain without overflowing the stack', () => {
    const n = 10_000;
    const chain = new Map([...Array(n).keys()].map((i) => [`s${i}`, i === 0 ? [] : [`s${i - 1}`]]));
    expect(findCycle(chain)).toBeUndefined();
    expect(buildGraph(chain).order[n - 1]).toBe(`s${n - 1}`);
  });

  it('refuses to order a cycle', () => {
    expect(() => buildGraph(deps({ a: ['b'], b: ['a'] }))).toThrow(/cycle/);
  });
});

/** A random DAG: step i depends only on steps declared before it, then shuffled by a permutation
 * so declaration order is not already an order. */
const dag = fc
  .integer({ min: 1, max: 30 })
  .chain((n) =>
    fc.record({
      n: fc.constant(n),
      // Pairs of distinct ranks (equal ones dropped after, not filtered: n = 1 has none).
      edges: fc
        .array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 60 })
        .map((pairs) =>
          pairs
            .filter(([a, b]) => a !== b)
            .map(([a, b]) => (a < b ? ([a, b] as const) : ([b, a] as const))),
        ),
      names: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
    }),
  )
  .map(({ n, edges, names }) => {
    // Rank i is declared at position names[i]; an edge (a, b) means rank b depends on rank a.
    const entries: [string, string[]][] = [...Array(n).keys()].map((i) => [`s${i}`, []]);
    for (const [a, b] of edges) entries[b]?.[1].push(`s${a}`);
    const declared = [...entries].sort(
      (x, y) => (names[Number(x[0].slice(1))] as number) - (names[Number(y[0].slice(1))] as number),
    );
    return { graph: new Map(declared) as StepDependencies, n };
  });

describe('pipeline graph properties', () => {
  it('accepts every random DAG with an order that respects every edge', () => {
    fc.assert(
      fc.property(dag, ({ graph, n }) => {
        expect(findCycle(graph)).toBeUndefined();
        const g = buildGraph(graph);
        expect([...g.order].sort()).toEqual([...graph.keys()].sort());
        expect(g.order).toHaveLength(n);
        expect(respectsEdges(graph, g.order)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a random DAG with a back edge added, with a cycle path that is a real cycle', () => {
    const withBackEdge = dag
      .filter(({ graph }) => [...graph.values()].some((parents) => parents.length > 0))
      .chain(({ graph }) =>
        fc.record({ graph: fc.constant(graph), pick: fc.nat() }).map(({ graph, pick }) => {
          // A back edge: a parent made to depend on its child. The cycle found may be that pair
          // or a longer one, through any other path from the parent down to the child.
          const withParents = [...graph].filter(([, parents]) => parents.length > 0);
          const [child, parents] = withParents[pick % withParents.length] as [string, string[]];
          const parent = parents[pick % parents.length] as string;
          const copy = new Map([...graph].map(([k, v]) => [k, [...v]]));
          copy.get(parent)?.push(child);
          return copy as StepDependencies;
        }),
      );
    fc.assert(
      fc.property(withBackEdge, (graph) => {
        const cycle = findCycle(graph);
        expect(cycle).toBeDefined();
        const path = cycle as string[];
        expect(path.length).toBeGreaterThanOrEqual(3);
        expect(path[0]).toBe(path[path.length - 1]);
        // Each step is a parent of the next, and no step but the first is repeated.
        for (let i = 0; i + 1 < path.length; i++) {
          expect(graph.get(path[i + 1] as string)).toContain(path[i]);
        }
        expect(new Set(path.slice(0, -1)).size).toBe(path.length - 1);
        expect(() => buildGraph(graph)).toThrow(/cycle/);
      }),
      { numRuns: 300 },
    );
  });
});
