/**
 * The pipeline series of `/metrics`, counted from the `pipeline.*` events this process sees: its
 * own, and on PostgreSQL those of the other processes on the database that reach its bus. A gauge
 * of runs by status would need a count read from the store (none is cheap yet), so runs are
 * counted as they start and end; `rate()` and `increase()` answer what a dashboard asks.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { Taskmill } from '../mill/types.ts';

/** Count the pipeline events on `registry`; returns what stops counting. */
export function countPipelineEvents(mill: Taskmill, registry: Registry): () => void {
  const started = new Counter({
    name: 'taskmill_pipeline_runs_started_total',
    help: 'Pipeline runs started, by pipeline (a runMany counts each run).',
    labelNames: ['pipeline'],
    registers: [registry],
  });
  const ended = new Counter({
    name: 'taskmill_pipeline_runs_ended_total',
    help: 'Pipeline runs that ended, by pipeline and status (completed, failed, cancelled).',
    labelNames: ['pipeline', 'status'],
    registers: [registry],
  });
  const steps = new Counter({
    name: 'taskmill_pipeline_steps_ended_total',
    help: "Attempts of steps' own tasks that ended, by pipeline, step and the status they went to (retrying, completed, skipped, pending: a map step fanned out).",
    labelNames: ['pipeline', 'step', 'status'],
    registers: [registry],
  });
  const items = new Counter({
    name: 'taskmill_pipeline_items_ended_total',
    help: "Attempts of map steps' items that ended, by pipeline, step and the status they went to.",
    labelNames: ['pipeline', 'step', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'taskmill_pipeline_step_duration_seconds',
    help: "How long the attempts of a step's tasks (its own and its map items) ran, by pipeline, step and outcome.",
    labelNames: ['pipeline', 'step', 'status'],
    buckets: [0.005, 0.025, 0.1, 0.25, 1, 2.5, 10, 30, 120, 600],
    registers: [registry],
  });
  const off = [
    mill.on('pipeline.run.started', (e) => started.inc({ pipeline: e.pipeline })),
    mill.on('pipeline.run.ended', (e) => ended.inc({ pipeline: e.pipeline, status: e.status })),
    mill.on('pipeline.step.ended', (e) => {
      const labels = { pipeline: e.pipeline, step: e.step, status: e.status };
      (e.item === null ? steps : items).inc(labels);
      duration.observe(labels, e.durationMs / 1000);
    }),
  ];
  return () => {
    for (const stop of off) stop();
  };
}
