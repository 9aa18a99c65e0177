/**
 * One pipeline run and its graph, kept current: read again (at most once a second) when an
 * event about this run arrives — a `pipeline.*` event naming it, or a `task.status` of one of
 * its tasks (its steps' tasks, and the map items its step events named) — and every few seconds
 * while it runs, for workers whose events the server does not see (another process on SQLite).
 */
import { useEffect, useRef, useState } from 'react';
import { useEvents } from '../live.tsx';
import { type Data, useData } from '../use-data.ts';
import { type PipelineRun, type PipelineRunGraph, runEnded } from './pipeline-types.ts';

const THROTTLE_MS = 1_000;
const POLL_MS = 5_000;

export interface RunView {
  run: PipelineRun;
  graph: PipelineRunGraph;
}

export function usePipelineRunLive(id: string): Data<RunView> {
  // Polled only while the run runs: an ended run changes no more.
  const [polling, setPolling] = useState(true);
  const data = useData(
    async (client) => {
      const [run, graph] = await Promise.all([
        client.pipelines.get(id),
        client.pipelines.graph(id),
      ]);
      return { run, graph };
    },
    [id],
    { everyMs: polling ? POLL_MS : undefined },
  );
  const taskIds = useRef(new Set<string>());
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new run starts a new set
  useEffect(() => {
    taskIds.current = new Set();
  }, [id]);
  useEffect(() => {
    if (!data.data) return;
    setPolling(!runEnded(data.data.run.status));
    for (const step of data.data.run.steps) taskIds.current.add(step.taskId);
  }, [data.data]);

  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
    },
    [],
  );
  const { reload } = data;
  useEvents(['pipeline.', 'task.status'], (event) => {
    if (event.kind === 'gap') return;
    let ours = false;
    if (event.kind === 'task.status') ours = taskIds.current.has(event.data.taskId);
    else if ('runId' in event.data && event.data.runId === id) {
      ours = true;
      // A map item's task: its status changes are this run's too.
      if ('taskId' in event.data) taskIds.current.add(event.data.taskId);
    }
    if (!ours || pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      reload();
    }, THROTTLE_MS);
  });
  return data;
}
