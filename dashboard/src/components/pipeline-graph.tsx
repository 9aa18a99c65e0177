/**
 * A pipeline's steps as a graph, left to right: each step a box with its name, its kind and
 * task type, its status in words and colour, and for a map step its items done of total as a
 * bar. Drawn as SVG by React (task data is text, never markup). The layout depends only on the
 * graph's shape and every box has one size, so live status changes never move anything; the
 * drawing scales to its card down to three quarters of its size, and scrolls below that (a
 * phone, a long pipeline) so its text stays readable.
 */
import { type MouseEvent, useId, useMemo } from 'react';
import { useLocation } from 'wouter';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from './pipeline-layout.ts';
import './pipeline-graph.css';

export interface GraphStep {
  id: string;
  /** The task type the step runs. */
  task: string;
  map: boolean;
  /** A task status, or null where there is none (a definition, not a run). */
  status: string | null;
  /** A map step's items done of total. */
  progress: { done: number; total: number } | null;
  /** Our own path to open for the step (its task), or null. */
  href: string | null;
}

interface Props {
  steps: readonly GraphStep[];
  edges: readonly { from: string; to: string }[];
  /** What the drawing shows, for screen readers. */
  label: string;
}

/** Below this share of its natural size the text gets too small: scroll instead. */
const MIN_SCALE = 0.75;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A step's status as words; a map step adds its items. */
function describe(step: GraphStep): string {
  const status = step.status === null ? '' : `: ${step.status.replace('_', ' ')}`;
  const items =
    step.map && step.progress ? `, ${step.progress.done} of ${step.progress.total} items` : '';
  return `${step.id} (${step.map ? 'map' : 'task'} ${step.task})${status}${items}`;
}

function StepBox({ step, x, y }: { step: GraphStep; x: number; y: number }) {
  const [, navigate] = useLocation();
  const done = step.progress?.done ?? 0;
  const total = step.progress?.total ?? 0;
  const share = total > 0 ? Math.min(1, done / total) : 0;
  const barX = 98;
  const barWidth = 52;
  const box = (
    <g
      className={`pg-step s-${step.status ?? 'none'}`}
      transform={`translate(${x},${y})`}
      data-testid="graph-step"
      data-step={step.id}
      data-status={step.status ?? undefined}
    >
      <title>{describe(step)}</title>
      <rect className="pg-box" width={NODE_WIDTH} height={NODE_HEIGHT} rx={6} />
      <rect className="pg-stripe" width={5} height={NODE_HEIGHT - 2} x={1} y={1} rx={2} />
      <text className="pg-name" x={14} y={22}>
        {clip(step.id, 22)}
      </text>
      <text className="pg-kind" x={14} y={40}>
        {clip(`${step.map ? 'map' : 'task'} · ${step.task}`, 30)}
      </text>
      {step.status !== null ? (
        <text className="pg-status" x={14} y={61}>
          {step.status.replace('_', ' ')}
        </text>
      ) : null}
      {step.map && step.progress ? (
        <>
          <rect className="pg-bar" x={barX} y={53} width={barWidth} height={6} rx={3} />
          <rect
            className="pg-bar-fill"
            x={barX}
            y={53}
            width={barWidth * share}
            height={6}
            rx={3}
          />
          <text className="pg-items" x={NODE_WIDTH - 10} y={61} data-testid="step-items">
            {`${done}/${total}`}
          </text>
        </>
      ) : null}
    </g>
  );
  if (step.href === null) return box;
  const href = step.href;
  const open = (event: MouseEvent) => {
    // A plain click stays in the app; a modified one (new tab) is the browser's.
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={open} className="pg-link" aria-label={describe(step)}>
      {box}
    </a>
  );
}

export function PipelineGraph({ steps, edges, label }: Props) {
  const marker = `pg-arrow-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  // Laid out again only when the shape changes: statuses are not part of the key.
  const shapeKey = `${steps.map((s) => s.id).join('\n')}\n\n${edges.map((e) => `${e.from}\n${e.to}`).join('\n')}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for steps and edges
  const layout = useMemo(
    () =>
      layoutGraph(
        steps.map((s) => s.id),
        edges,
      ),
    [shapeKey],
  );
  const status = new Map(steps.map((s) => [s.id, s.status]));
  return (
    <div className="pg-wrap" data-testid="pipeline-graph">
      <svg
        className="pg"
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        width="100%"
        style={{ maxWidth: layout.width, minWidth: Math.round(layout.width * MIN_SCALE) }}
      >
        <title>{label}</title>
        <defs>
          <marker
            id={marker}
            viewBox="0 0 10 10"
            refX={9}
            refY={5}
            markerWidth={7}
            markerHeight={7}
            orient="auto-start-reverse"
          >
            <path className="pg-arrow" d="M0,0 L10,5 L0,10 z" />
          </marker>
        </defs>
        {layout.edges.map((e) => {
          const from = status.get(e.from);
          const passed = from === 'completed' || from === 'skipped';
          return (
            <path
              key={`${e.from}→${e.to}`}
              className={`pg-edge${passed ? ' passed' : ''}`}
              d={e.path}
              markerEnd={`url(#${marker})`}
            />
          );
        })}
        {steps.map((step) => {
          const at = layout.nodes.get(step.id);
          return at ? <StepBox key={step.id} step={step} x={at.x} y={at.y} /> : null;
        })}
      </svg>
    </div>
  );
}
