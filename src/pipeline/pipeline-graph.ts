/**
 * The shape of a pipeline as a graph of step names: which steps wait for which, in what order they
 * can run, and the cycle that makes an order impossible. Pure and about names only, so the
 * definition checks it once and the orchestrator and `sequential` mode read it later.
 *
 * An edge goes from a parent (a step named in `dependsOn`) to its child (the step that names it):
 * the direction work flows, and the one the dashboard draws.
 */

/** The steps in declaration order, each with the names it depends on (all known steps). */
export type StepDependencies = ReadonlyMap<string, readonly string[]>;

export interface PipelineGraph {
  /** Every step, parents before children; among steps ready together, declaration order. */
  readonly order: readonly string[];
  readonly parents: ReadonlyMap<string, readonly string[]>;
  readonly children: ReadonlyMap<string, readonly string[]>;
  /** Steps with no parent, and steps with no child, in declaration order. */
  readonly roots: readonly string[];
  readonly leaves: readonly string[];
}

/**
 * A cycle as the path that closes it, `[a, b, c, a]` (each step a parent of the next), or
 * undefined when there is none. Searched from the first declared step on, so the same definition
 * always reports the same cycle.
 */
export function findCycle(deps: StepDependencies): string[] | undefined {
  const children = childrenOf(deps);
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  // Iterative depth-first search: a 10,000-step chain must not overflow the call stack.
  for (const start of deps.keys()) {
    if (state.has(start)) continue;
    const stack: { name: string; next: number }[] = [{ name: start, next: 0 }];
    state.set(start, 'open');
    path.push(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { name: string; next: number };
      const kids = children.get(top.name) ?? [];
      if (top.next === kids.length) {
        state.set(top.name, 'done');
        stack.pop();
        path.pop();
        continue;
      }
      const kid = kids[top.next++] as string;
      const seen = state.get(kid);
      if (seen === 'open') return [...path.slice(path.indexOf(kid)), kid];
      if (seen === undefined) {
        state.set(kid, 'open');
        path.push(kid);
        stack.push({ name: kid, next: 0 });
      }
    }
  }
  return undefined;
}

/** The graph of steps known to be acyclic (checked with findCycle first). */
export function buildGraph(deps: StepDependencies): PipelineGraph {
  const names = [...deps.keys()];
  const position = new Map(names.map((name, i) => [name, i]));
  const children = childrenOf(deps);
  const waiting = new Map(names.map((name) => [name, new Set(deps.get(name)).size]));
  // The ready steps kept sorted by declaration position: the order is stable and documented.
  const ready = names.filter((name) => waiting.get(name) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const name = ready.shift() as string;
    order.push(name);
    for (const kid of children.get(name) ?? []) {
      const left = (waiting.get(kid) as number) - 1;
      waiting.set(kid, left);
      if (left === 0) insertSorted(ready, kid, position);
    }
  }
  if (order.length !== names.length) {
    throw new Error('buildGraph: the steps form a cycle (check with findCycle first)');
  }
  const parents = new Map(names.map((name) => [name, [...new Set(deps.get(name))]]));
  return {
    order,
    parents,
    children,
    roots: names.filter((name) => parents.get(name)?.length === 0),
    leaves: names.filter((name) => children.get(name)?.length === 0),
  };
}

/** Each step's children, in declaration order, each once however often it names the parent. */
function childrenOf(deps: StepDependencies): Map<string, string[]> {
  const children = new Map<string, string[]>([...deps.keys()].map((name) => [name, []]));
  for (const [name, parents] of deps) {
    for (const parent of new Set(parents)) children.get(parent)?.push(name);
  }
  return children;
}

function insertSorted(list: string[], name: string, position: ReadonlyMap<string, number>): void {
  const at = position.get(name) as number;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((position.get(list[mid] as string) as number) < at) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, name);
}
