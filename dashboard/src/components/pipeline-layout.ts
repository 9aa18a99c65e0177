/**
 * Where each step of a pipeline graph goes, laid out left to right by dagre. Only the graph's
 * shape (its steps and edges) decides it, never their statuses, so a live update recolours the
 * drawing without moving anything; every box has the same size for the same reason.
 */
import dagre from '@dagrejs/dagre';

export const NODE_WIDTH = 196;
export const NODE_HEIGHT = 72;
const MARGIN = 12;

export interface LaidOutNode {
  id: string;
  /** The box's top-left corner. */
  x: number;
  y: number;
}

export interface LaidOutEdge {
  from: string;
  to: string;
  /** An SVG path from the parent's box to the child's. */
  path: string;
}

export interface Layout {
  width: number;
  height: number;
  nodes: Map<string, LaidOutNode>;
  edges: LaidOutEdge[];
}

/** A path through dagre's points: straight segments with rounded joints (quadratic curves). */
function pathThrough(points: readonly { x: number; y: number }[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  if (rest.length === 0) return `M${first.x},${first.y}`;
  let d = `M${first.x},${first.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const corner = rest[i] as { x: number; y: number };
    const next = rest[i + 1] as { x: number; y: number };
    d += ` Q${corner.x},${corner.y} ${(corner.x + next.x) / 2},${(corner.y + next.y) / 2}`;
  }
  const last = rest[rest.length - 1] as { x: number; y: number };
  return `${d} L${last.x},${last.y}`;
}

export function layoutGraph(
  nodeIds: readonly string[],
  edges: readonly { from: string; to: string }[],
): Layout {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 20, ranksep: 56, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  for (const id of nodeIds) g.setNode(id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  const known = new Set(nodeIds);
  const drawn = edges.filter((e) => known.has(e.from) && known.has(e.to));
  for (const e of drawn) g.setEdge(e.from, e.to);
  dagre.layout(g);

  const nodes = new Map<string, LaidOutNode>();
  for (const id of nodeIds) {
    const n = g.node(id) as { x: number; y: number };
    nodes.set(id, { id, x: n.x - NODE_WIDTH / 2, y: n.y - NODE_HEIGHT / 2 });
  }
  const laidEdges = drawn.map((e) => {
    const label = g.edge(e.from, e.to) as { points?: { x: number; y: number }[] } | undefined;
    return { from: e.from, to: e.to, path: pathThrough(label?.points ?? []) };
  });
  const size = g.graph() as { width?: number; height?: number };
  return {
    width: Math.max(size.width ?? 0, NODE_WIDTH + 2 * MARGIN),
    height: Math.max(size.height ?? 0, NODE_HEIGHT + 2 * MARGIN),
    nodes,
    edges: laidEdges,
  };
}
