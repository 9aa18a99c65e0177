/** The terminal drawing of a run's graph (`pipelines show`): layers, parents, status, colour. */
import { describe, expect, it } from 'vitest';
import { graphLayers, runGraphText } from '../../src/cli/pipeline-graph-text.ts';
import type { PipelineGraphNode, PipelineRunGraph } from '../../src/core/pipeline-run.ts';
import type { TaskStatus } from '../../src/core/status.ts';

function node(id: string, status: TaskStatus, extra: Partial<PipelineGraphNode> = {}) {
  return { id, task: `t.${id}`, map: false, status, progress: { done: 0, total: 1 }, ...extra };
}

function graph(nodes: PipelineGraphNode[], edges: [string, string][]): PipelineRunGraph {
  return {
    runId: 'r1',
    pipeline: 'etl',
    status: 'running',
    nodes,
    edges: edges.map(([from, to]) => ({ from, to })),
  };
}

/** fetch → transform (a map) → aggregate, and fetch → alert; aggregate also after alert. */
const etl = graph(
  [
    node('fetch', 'completed', { progress: { done: 1, total: 1 } }),
    node('transform', 'running', { map: true, progress: { done: 7, total: 12 } }),
    node('alert', 'skipped', { progress: { done: 1, total: 1 } }),
    node('aggregate', 'pending'),
  ],
  [
    ['fetch', 'transform'],
    ['fetch', 'alert'],
    ['transform', 'aggregate'],
    ['alert', 'aggregate'],
  ],
);

describe('graphLayers', () => {
  it('puts each step one layer below its deepest parent', () => {
    expect(graphLayers(etl)).toEqual([['fetch'], ['transform', 'alert'], ['aggregate']]);
  });

  it('places a step after a long chain below the chain, not beside its shallow parent', () => {
    const g = graph(
      [node('a', 'queued'), node('b', 'queued'), node('c', 'queued'), node('d', 'queued')],
      [
        ['a', 'b'],
        ['b', 'c'],
        ['a', 'd'],
        ['c', 'd'],
      ],
    );
    expect(graphLayers(g)).toEqual([['a'], ['b'], ['c'], ['d']]);
  });

  it('orders a graph given children first as it would parents first', () => {
    const g = graph(
      [node('c', 'queued'), node('b', 'queued'), node('a', 'queued')],
      [
        ['a', 'b'],
        ['b', 'c'],
      ],
    );
    expect(graphLayers(g)).toEqual([['a'], ['b'], ['c']]);
  });
});

describe('runGraphText', () => {
  it('draws one line per step with its layer, connector, status, items, task and parents', () => {
    const text = runGraphText(etl, { color: false });
    expect(text.split('\n')).toEqual([
      'layer 1  └─ fetch      ✓ completed              t.fetch',
      'layer 2  ├─ transform  ▶ running    items 7/12  t.transform  ← fetch',
      '         └─ alert      ↷ skipped                t.alert      ← fetch',
      'layer 3  └─ aggregate  · pending                t.aggregate  ← transform, alert',
    ]);
  });

  it('colours the status only when asked, and keeps the columns aligned', () => {
    const plain = runGraphText(etl, { color: false });
    const coloured = runGraphText(etl, { color: true });
    expect(plain).not.toContain('\x1b[');
    expect(coloured).toContain('\x1b[32m✓ completed\x1b[0m');
    expect(coloured).toContain('\x1b[36m▶ running\x1b[0m');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping the SGR codes
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(plain);
  });

  it("shows a map step's items as unknown before it fanned out, and a failed step's message", () => {
    const g = graph(
      [node('fetch', 'failed'), node('rows', 'pending', { map: true }), node('total', 'cancelled')],
      [
        ['fetch', 'rows'],
        ['rows', 'total'],
      ],
    );
    const text = runGraphText(g, {
      color: false,
      steps: [
        { name: 'fetch', items: null, message: 'source unreachable:\n  connect ECONNREFUSED' },
        { name: 'rows', items: null, message: null },
        { name: 'total', items: null, message: 'cancelled' },
      ],
    });
    expect(text).toContain('✗ failed');
    expect(text).toMatch(/fetch .* source unreachable: connect ECONNREFUSED$/m);
    expect(text).toMatch(/rows +· pending +items - +t\.rows +← fetch$/m);
    expect(text).toMatch(/total +⊘ cancelled +t\.total +← rows$/m);
  });

  it('lists the steps without layers or parents when the edges are not known', () => {
    const g = graph([node('a', 'completed'), node('b', 'running')], []);
    expect(runGraphText(g, { color: false }).split('\n')).toEqual([
      '├─ a  ✓ completed  t.a',
      '└─ b  ▶ running    t.b',
    ]);
  });

  it('draws a one-step pipeline and an empty one', () => {
    expect(runGraphText(graph([node('only', 'queued')], []), { color: false })).toBe(
      'layer 1  └─ only  · queued  t.only',
    );
    expect(runGraphText(graph([], []), { color: false })).toBe('(no steps)');
  });
});
