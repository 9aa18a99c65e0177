/**
 * What the one-shot commands use, as one interface with two implementations: a Taskmill opened
 * on the database, and the HTTP client talking to a server (`--server`). The commands print the
 * same either way; where the API gives less (attempts, artifact paths), the member says so with
 * null and the command leaves that part out.
 */
import { createClient } from '../client/client.ts';
import type {
  ClientSubmitOptions,
  RemoteArtifact,
  RemoteTask,
  StreamedKind,
} from '../client/types.ts';
import type { AnyTaskDefinition } from '../core/define-task.ts';
import { type SharedOperations, sharedOperations } from '../core/operations.ts';
import type { PipelineRunOperations } from '../core/pipeline-run.ts';
import type { ScheduleOperations } from '../core/schedule.ts';
import type { Execution } from '../core/task.ts';
import type { Taskmill } from '../mill/types.ts';

/** A task as both sources give it. */
export type TaskView = RemoteTask;
/** An artifact; `path` (under the data folder) only when the database is read directly. */
export type ArtifactView = RemoteArtifact & { path?: string };

export interface TaskAccess extends SharedOperations<TaskView> {
  submit(type: string, input: unknown, options: ClientSubmitOptions): Promise<TaskView>;
  /** The attempts; null where they cannot be read (the HTTP API has no route for them). */
  executions(id: string): Promise<Execution[] | null>;
  artifacts(id: string): Promise<ArtifactView[]>;
  /** The schedules: `mill.schedules`, or the client's over HTTP. */
  readonly schedules: ScheduleOperations;
  /** The pipeline runs: `mill.pipelines`, or the client's over HTTP; null where not served. */
  readonly pipelines: PipelineRunOperations | null;
  /** Whether this process knows the pipeline (its graph's edges come from the definition);
   * over HTTP the server does. */
  knowsPipeline(name: string): boolean;
  /** The task types loaded here; null over HTTP, where the server checks against its own. */
  readonly definitions: ReadonlyMap<string, AnyTaskDefinition> | null;
  /** The folder artifact paths are relative to; null when only the server knows it. */
  readonly dataDir: string | null;
  /**
   * Call `poke` when an event of one of `kinds` concerns task `id`, so that a follower reads it
   * sooner than its next poll; returns the unsubscribe. Events only hurry: they may not come.
   */
  onTaskEvent(id: string, kinds: readonly StreamedKind[], poke: () => void): () => void;
  /** How often a follower reads the task when no event came. */
  readonly pollIntervalMs: number;
  close(): Promise<void>;
}

/** Over the database, a worker may be another process, whose events never reach this one. */
const LOCAL_POLL_MS = 150;
/** Over HTTP the server's event stream does the hurrying; polls are the fallback. */
const REMOTE_POLL_MS = 1000;

export function localAccess(mill: Taskmill): TaskAccess {
  return {
    ...sharedOperations(mill),
    submit: (type, input, options) => mill.submit(type, input, options),
    executions: (id) => mill.executions(id),
    artifacts: (id) => mill.artifacts(id),
    schedules: mill.schedules,
    pipelines: mill.pipelines,
    knowsPipeline: (name) => mill.pipelines.registered.has(name),
    definitions: mill.definitions,
    dataDir: mill.dataDir,
    onTaskEvent(id, kinds, poke) {
      const offs = kinds.map((kind) =>
        mill.on(kind, (event) => {
          if ('taskId' in event && event.taskId === id) poke();
        }),
      );
      return () => {
        for (const off of offs) off();
      };
    },
    pollIntervalMs: LOCAL_POLL_MS,
    close: () => mill.close(),
  };
}

export function remoteAccess(options: { url: string; token?: string }): TaskAccess {
  const client = createClient(options);
  const streams = new Set<AbortController>();
  return {
    ...sharedOperations(client),
    submit: (type, input, submitOptions) => client.submit(type, input, submitOptions),
    executions: async () => null,
    artifacts: (id) => client.artifacts(id),
    schedules: client.schedules,
    pipelines: client.pipelines,
    knowsPipeline: () => true,
    definitions: null,
    dataDir: null,
    onTaskEvent(id, kinds, poke) {
      const stop = new AbortController();
      streams.add(stop);
      const follow = async () => {
        for await (const _event of client.events({ taskId: id, kinds, signal: stop.signal })) {
          poke();
        }
      };
      // A stream that fails leaves the polls, which report errors through their own reads.
      follow().catch(() => undefined);
      return () => {
        stop.abort();
        streams.delete(stop);
      };
    },
    pollIntervalMs: REMOTE_POLL_MS,
    async close() {
      for (const stop of streams) stop.abort();
      streams.clear();
    },
  };
}
