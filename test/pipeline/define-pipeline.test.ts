import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTask } from '../../src/core/define-task.ts';
import {
  definePipeline,
  isPipelineDefinition,
  type StepOptions,
} from '../../src/pipeline/define-pipeline.ts';
import { pipelineGraphJson } from '../../src/pipeline/pipeline-graph-json.ts';
import { thrownRefusal } from '../helpers/error-of.ts';

const fetchPage = defineTask({
  name: 'pipedef.fetch',
  input: z.object({ url: z.string() }),
  run: (input) => input.url.length,
});

const input = z.object({ url: z.string() });

/** A pipeline of these steps, refused: its error. */
function refusalFor(steps: Record<string, unknown>, more: Record<string, unknown> = {}) {
  return thrownRefusal(() =>
    definePipeline({
      name: 'p',
      input,
      steps: steps as Record<string, StepOptions>,
      ...more,
    } as Parameters<typeof definePipeline>[0]),
  );
}

const step = (dependsOn?: string[]): StepOptions =>
  dependsOn ? { task: fetchPage, dependsOn } : { task: fetchPage };

describe('definePipeline: a valid definition', () => {
  it('keeps the steps, fills the defaults and builds the graph', () => {
    const when = () => true;
    const over = () => [1, 2];
    const p = definePipeline({
      name: 'crawl',
      input,
      steps: {
        extract: { task: fetchPage },
        split: { task: fetchPage, dependsOn: ['extract'], when, map: { over, concurrency: 4 } },
        load: { task: fetchPage, dependsOn: ['split'], cache: { key: () => 'k', ttlMs: 1000 } },
      },
    });
    expect(isPipelineDefinition(p)).toBe(true);
    expect(isPipelineDefinition(fetchPage)).toBe(false);
    expect(p.mode).toBe('parallel');
    expect(p.onFailure).toBe('failFast');
    expect([...p.steps.keys()]).toEqual(['extract', 'split', 'load']);
    expect(p.steps.get('split')?.map).toEqual({ over, concurrency: 4 });
    expect(p.steps.get('split')?.when).toBe(when);
    expect(p.steps.get('extract')?.dependsOn).toEqual([]);
    expect(p.graph.order).toEqual(['extract', 'split', 'load']);
    expect(pipelineGraphJson(p)).toEqual({
      nodes: [
        { id: 'extract', task: 'pipedef.fetch', map: false },
        { id: 'split', task: 'pipedef.fetch', map: true },
        { id: 'load', task: 'pipedef.fetch', map: false },
      ],
      edges: [
        { from: 'extract', to: 'split' },
        { from: 'split', to: 'load' },
      ],
    });
  });

  it('takes the sequential mode and the continue policy', () => {
    const p = definePipeline({
      name: 'seq',
      input,
      steps: { a: step() },
      mode: 'sequential',
      onFailure: 'continue',
    });
    expect([p.mode, p.onFailure]).toEqual(['sequential', 'continue']);
  });
});

describe('definePipeline: refusals', () => {
  it('refuses an unknown option on the pipeline, with the name meant', () => {
    const error = refusalFor({ a: step() }, { onFailur: 'continue' });
    expect(error.code).toBe('PIPELINE_INVALID');
    expect(error.issues).toEqual([
      { path: 'onFailur', message: 'unknown option: did you mean "onFailure"?' },
    ]);
  });

  it('refuses an unknown option on a step, naming the step and the option', () => {
    const error = refusalFor({ load: { task: fetchPage, dependOn: ['x'] } });
    expect(error.code).toBe('PIPELINE_INVALID');
    expect(error.issues).toEqual([
      { path: 'steps.load.dependOn', message: 'unknown option: did you mean "dependsOn"?' },
    ]);
    expect(error.message).toContain('"steps.load.dependOn"');
  });

  it('refuses a dependsOn naming an unknown step, naming both', () => {
    const error = refusalFor({ extract: step(), load: step(['extrac']) });
    expect(error.code).toBe('PIPELINE_INVALID');
    expect(error.issues).toEqual([
      { path: 'steps.load.dependsOn[0]', message: 'unknown step "extrac"' },
    ]);
    expect(error.message).toContain('Step "load" depends on "extrac"');
    expect(error.message).toContain('Did you mean "extract"?');
  });

  it('refuses a cycle with its path', () => {
    const error = refusalFor({ a: step(['c']), b: step(['a']), c: step(['b']), d: step() });
    expect(error.code).toBe('PIPELINE_INVALID');
    expect(error.message).toContain('a → b → c → a');
    expect(error.issues).toEqual([{ path: 'steps.b.dependsOn', message: 'cycle: a → b → c → a' }]);
  });

  it('refuses a step that depends on itself', () => {
    const error = refusalFor({ a: step(['a']) });
    expect(error.message).toContain('a → a');
  });

  it('refuses a task that is not a task definition', () => {
    const error = refusalFor({ a: { task: 'pipedef.fetch' } });
    expect(error.issues[0]?.path).toBe('steps.a.task');
    expect(error.issues[0]?.message).toContain('a task definition');
    expect(refusalFor({ a: {} }).issues).toEqual([
      { path: 'steps.a.task', message: 'expected a task definition' },
    ]);
  });

  it('refuses a remote task type as a step: no worker of its own would build its input', () => {
    const remote = defineTask({ name: 'pipedef.remote', executor: 'remote', input });
    const error = refusalFor({ a: { task: remote } });
    expect(error.issues).toEqual([
      { path: 'steps.a.task', message: 'a remote task type cannot be a pipeline step' },
    ]);
    expect(error.message).toContain("executor: 'remote'");
  });

  it('refuses empty and bad names, no steps, and a step named twice in dependsOn', () => {
    expect(refusalFor({ a: step() }, { name: '' }).issues[0]?.path).toBe('name');
    expect(refusalFor({ '': step() }).issues[0]?.path).toBe('steps.');
    expect(refusalFor({ 'a b': step() }).issues[0]?.path).toBe('steps.a b');
    expect(refusalFor({}).issues).toEqual([
      { path: 'steps', message: 'expected at least one step' },
    ]);
    expect(refusalFor({ a: step(), b: step(['a', 'a']) }).issues).toEqual([
      { path: 'steps.b.dependsOn[1]', message: '"a" is named twice' },
    ]);
  });

  it('refuses a map concurrency that is not a positive whole number, and a map with no list', () => {
    for (const concurrency of [0, -1, 1.5, '4']) {
      const error = refusalFor({ a: { task: fetchPage, map: { over: () => [], concurrency } } });
      expect(error.issues.map((i) => i.path)).toEqual(['steps.a.map.concurrency']);
    }
    expect(refusalFor({ a: { task: fetchPage, map: {} } }).issues[0]?.path).toBe(
      'steps.a.map.over',
    );
  });

  it('refuses a bad retry policy and a half cache under the step', () => {
    const retry = refusalFor({ a: { task: fetchPage, retry: { maxAttemps: 3 } } });
    expect(retry.code).toBe('PIPELINE_INVALID');
    expect(retry.issues[0]?.path).toBe('steps.a.retry.maxAttemps');
    const cache = refusalFor({ a: { task: fetchPage, cache: { key: () => 'k' } } });
    expect(cache.issues[0]?.path).toBe('steps.a.cache');
  });

  it('refuses a missing or non-zod input schema and a bad mode', () => {
    expect(refusalFor({ a: step() }, { input: undefined }).issues[0]?.path).toBe('input');
    expect(refusalFor({ a: step() }, { input: {} }).issues[0]?.path).toBe('input');
    expect(refusalFor({ a: step() }, { mode: 'batch' }).issues[0]?.path).toBe('mode');
  });

  it('lists the problems of every step in one error', () => {
    const error = refusalFor({ a: step(['x']), b: { task: fetchPage, whne: () => true } });
    expect(error.issues.map((i) => i.path)).toEqual(['steps.a.dependsOn[0]', 'steps.b.whne']);
  });
});
