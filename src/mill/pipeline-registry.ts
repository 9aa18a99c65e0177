/**
 * The pipelines a taskmill knows (`createTaskmill({ pipelines })`): each once by name, and the
 * task types of their steps registered with them, so a worker can run every step it claims. A
 * step whose task has the name of a different registered task is refused: the worker would run
 * the wrong handler.
 */
import type { AnyTaskDefinition } from '../core/define-task.ts';
import { ValidationError } from '../core/errors.ts';
import { isPipelineDefinition, type PipelineDefinition } from '../pipeline/define-pipeline.ts';

export function pipelineMap(
  pipelines: readonly PipelineDefinition[],
  tasks: Map<string, AnyTaskDefinition>,
): Map<string, PipelineDefinition> {
  if (!Array.isArray(pipelines)) {
    throw new ValidationError(
      'OPTIONS_INVALID',
      'Option "pipelines" must be an array of definePipeline() results.',
      [{ path: 'pipelines', message: 'expected an array' }],
    );
  }
  const map = new Map<string, PipelineDefinition>();
  pipelines.forEach((def, i) => {
    const path = `pipelines[${i}]`;
    if (!isPipelineDefinition(def)) {
      throw new ValidationError(
        'OPTIONS_INVALID',
        `${path} is not a pipeline; make it with definePipeline().`,
        [{ path, message: 'expected a definePipeline() result' }],
      );
    }
    if (map.has(def.name)) {
      throw new ValidationError(
        'OPTIONS_INVALID',
        `Two pipelines are named "${def.name}"; pipeline names must be unique.`,
        [{ path: `${path}.name`, message: `"${def.name}" is taken` }],
      );
    }
    map.set(def.name, def);
    for (const step of def.steps.values()) {
      const known = tasks.get(step.task.name);
      if (known === undefined) tasks.set(step.task.name, step.task);
      else if (known !== step.task) {
        throw new ValidationError(
          'OPTIONS_INVALID',
          `Step "${step.name}" of pipeline "${def.name}" runs a task named "${step.task.name}", but a different task of that name is registered: give one of them another name.`,
          [
            {
              path: `${path}.steps.${step.name}.task`,
              message: `another task is named "${step.task.name}"`,
            },
          ],
        );
      }
    }
  });
  return map;
}
