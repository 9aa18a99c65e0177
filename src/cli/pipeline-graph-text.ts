/**
 * A run's graph drawn for a terminal, as `pipelines show` prints it: the steps in layers (a
 * step's layer is one below its deepest parent, so every parent is drawn above its children),
 * one line per step with its status, a map step's items, its task type and its parents:
 *
 *   layer 1  └─ fetch      ✓ completed               etl.fetch
 *   layer 2  ├─ transform  ▶ running    items 7/12   etl.transform  ← fetch
 *            └─ alert      ↷ skipped                 etl.alert      ← fetch
 *   layer 3  └─ aggregate  · pending                 etl.aggregate  ← transform, alert
 *
 * Pure: the caller says whether to colour (only on a terminal) and passes the run's steps for
 * what the graph alone does not carry (whether a map step has fanned out, a failure's message).
 */
import type { PipelineRunGraph, PipelineStepStatus } from '../core/pipeline-run.ts';
import type { TaskStatus } from '../core/status.ts';

export interface GraphTextOptions {
  /** ANSI colours by status; only when stdout is a terminal. */
  color: boolean;
  /** The run's steps, by name: a map step's items before it fanned out, a failed step's error. */
  steps?: readonly Pick<PipelineStepStatus, 'name' | 'items' | 'message'>[];
}

const SYMBOLS: Record<TaskStatus, string> = {
  pending: '·',
  queued: '·',
  paused: '‖',
  running: '▶',
  retrying: '↻',
  completed: '✓',
  failed: '✗',
  timed_out: '✗',
  cancelled: '⊘',
  skipped: '↷',
};

/** SGR codes: green done, red failed, yellow stopped or retried, cyan at work, dim waiting. */
const COLORS: Record<TaskStatus, string> = {
  pending: '2',
  queued: '2',
  paused: '33',
  running: '36',
  retrying: '33',
  completed: '32',
  failed: '31',
  timed_out: '31',
  cancelled: '33',
  skipped: '2',
};

const MESSAGE_MAX = 60;

/** Each node's layer: 0 for a step without parents, else one more than its deepest parent. */
export function graphLayers(graph: Pick<PipelineRunGraph, 'nodes' | 'edges'>): string[][] {
  const parents = parentsOf(graph);
  const depth = new Map(graph.nodes.map((n) => [n.id, 0]));
  // Nodes come in topological order, so one pass settles them; the passes after it only matter
  // for a graph in another order, and stop at the node count so a cycle cannot loop for ever.
  for (let pass = 0, changed = true; changed && pass < graph.nodes.length; pass++) {
    changed = false;
    for (const node of graph.nodes) {
      const above = (parents.get(node.id) ?? []).map((p) => (depth.get(p) ?? 0) + 1);
      const d = Math.max(0, ...above);
      if (d !== depth.get(node.id)) {
        depth.set(node.id, d);
        changed = true;
      }
    }
  }
  const layers: string[][] = [];
  for (const node of graph.nodes) {
    const d = depth.get(node.id) ?? 0;
    while (layers.length <= d) layers.push([]);
    layers[d]?.push(node.id);
  }
  return layers.filter((layer) => layer.length > 0);
}

function parentsOf(graph: Pick<PipelineRunGraph, 'nodes' | 'edges'>): Map<string, string[]> {
  const known = new Set(graph.nodes.map((n) => n.id));
  const parents = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
  for (const { from, to } of graph.edges) {
    if (known.has(from)) parents.get(to)?.push(from);
  }
  return parents;
}

interface Line {
  label: string;
  connector: string;
  name: string;
  status: TaskStatus;
  items: string;
  task: string;
  after: string;
  note: string;
}

function cut(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MESSAGE_MAX ? `${line.slice(0, MESSAGE_MAX - 1)}…` : line;
}

function paint(text: string, status: TaskStatus, color: boolean): string {
  return color ? `\x1b[${COLORS[status]}m${text}\x1b[0m` : text;
}

/**
 * The graph as lines. With no edges for a graph of several steps (the definition is not known
 * where it was read) the steps are listed in their order, without layers or parents.
 */
export function runGraphText(graph: PipelineRunGraph, options: GraphTextOptions): string {
  if (graph.nodes.length === 0) return '(no steps)';
  const steps = new Map((options.steps ?? []).map((s) => [s.name, s]));
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const parents = parentsOf(graph);
  const layered = graph.edges.length > 0 || graph.nodes.length === 1;
  const layers = layered ? graphLayers(graph) : [graph.nodes.map((n) => n.id)];
  const lines: Line[] = layers.flatMap((layer, l) =>
    layer.map((name, i) => {
      const node = nodes.get(name);
      const step = steps.get(name);
      const status = node?.status ?? 'pending';
      const fannedOut = step === undefined || step.items !== null;
      const items = node?.map
        ? fannedOut
          ? `items ${node.progress.done}/${node.progress.total}`
          : 'items -'
        : '';
      const failed = status === 'failed' || status === 'timed_out';
      const after = parents.get(name) ?? [];
      return {
        label: layered && i === 0 ? `layer ${l + 1}` : '',
        connector: i === layer.length - 1 ? '└─' : '├─',
        name,
        status,
        items,
        task: node?.task ?? '?',
        after: after.length > 0 ? `← ${after.join(', ')}` : '',
        note: failed && step?.message ? cut(step.message) : '',
      };
    }),
  );
  const width = (pick: (line: Line) => string) =>
    Math.max(0, ...lines.map((line) => pick(line).length));
  const w = {
    label: width((x) => x.label),
    name: width((x) => x.name),
    status: width((x) => `${SYMBOLS[x.status]} ${x.status}`),
    items: width((x) => x.items),
    task: width((x) => x.task),
    after: width((x) => x.after),
  };
  return lines
    .map((x) => {
      const status = `${SYMBOLS[x.status]} ${x.status}`;
      const cells = [
        ...(layered ? [x.label.padEnd(w.label)] : []),
        `${x.connector} ${x.name.padEnd(w.name)}`,
        paint(status, x.status, options.color) + ' '.repeat(w.status - status.length),
        ...(w.items > 0 ? [x.items.padEnd(w.items)] : []),
        x.task.padEnd(w.task),
        ...(w.after > 0 ? [x.after.padEnd(w.after)] : []),
        x.note,
      ];
      return cells.join('  ').trimEnd();
    })
    .join('\n');
}
