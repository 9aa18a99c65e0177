/**
 * The shapes of pipelines and their runs as the typed client returns them. Read off the
 * client's own signatures so the dashboard imports nothing but the client (an architecture
 * rule), and follows it when it changes.
 */
import type { TaskmillClient } from '../../../src/client/types.ts';

type Pipelines = TaskmillClient['pipelines'];

export type PipelineRun = Awaited<ReturnType<Pipelines['get']>>;
export type PipelineRunStatus = PipelineRun['status'];
export type PipelineStep = PipelineRun['steps'][number];
export type PipelineRunGraph = Awaited<ReturnType<Pipelines['graph']>>;
export type PipelineGraphNode = PipelineRunGraph['nodes'][number];
export type PipelineInfo = Awaited<ReturnType<Pipelines['definitions']>>[number];
export type StepStatus = PipelineStep['status'];

/** A run's statuses, for the list's filter (src/core/pipeline-run.ts RUN_STATUSES). */
export const RUN_STATUSES: readonly PipelineRunStatus[] = [
  'running',
  'completed',
  'failed',
  'cancelled',
];

/** Whether a run has ended: nothing of it changes any more, so nothing needs re-reading. */
export function runEnded(status: PipelineRunStatus): boolean {
  return status !== 'running';
}
