/**
 * A pipeline's graph as JSON, the shape the dashboard draws: one node a step (a map step marked,
 * as it fans out), one edge a parent → child link, both in declaration order.
 */
import type { PipelineDefinition } from './define-pipeline.ts';

export interface PipelineGraphJson {
  nodes: { id: string; task: string; map: boolean }[];
  edges: { from: string; to: string }[];
}

export function pipelineGraphJson(pipeline: PipelineDefinition): PipelineGraphJson {
  const steps = [...pipeline.steps.values()];
  return {
    nodes: steps.map((step) => ({
      id: step.name,
      task: step.task.name,
      map: step.map !== undefined,
    })),
    edges: steps.flatMap((step) =>
      (pipeline.graph.parents.get(step.name) ?? []).map((parent) => ({
        from: parent,
        to: step.name,
      })),
    ),
  };
}
