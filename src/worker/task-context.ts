import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskContext, TaskInfo } from '../core/context.ts';
import { LeaseLostError } from '../core/errors.ts';
import type { EventBus } from '../core/event-bus.ts';
import type { Artifact, LogLevel } from '../core/task.ts';
import type { Store } from '../store/contract.ts';
import { type ArtifactFile, writeArtifactFile } from './artifact-file.ts';
import type { WriteBuffer } from './write-buffer.ts';

export interface ContextDeps {
  store: Store;
  bus: EventBus;
  buffer: WriteBuffer;
  now: () => number;
  dataDir: string;
}

/**
 * Store the row of an artifact whose file is written, under the attempt's lease. A refused row
 * (the lease is gone) or a failed insert takes its file with it.
 */
export async function recordArtifact(
  deps: Pick<ContextDeps, 'store' | 'now' | 'dataDir'>,
  token: string,
  file: ArtifactFile,
): Promise<Artifact> {
  const remove = () => rm(join(deps.dataDir, file.path), { force: true });
  let result: Awaited<ReturnType<Store['artifactInsert']>>;
  try {
    result = await deps.store.artifactInsert({ now: deps.now(), token, artifact: file });
  } catch (error) {
    // No row names the file: it would only take up room until its task is deleted.
    await remove().catch(() => undefined);
    throw error;
  }
  if (!result.ok) {
    await remove();
    throw new LeaseLostError(file.taskId, 'artifact');
  }
  return result.artifact;
}

/** The handler's context for one attempt; `metrics` collects what `ctx.metric` records. */
export function createTaskContext(
  deps: ContextDeps,
  info: TaskInfo,
  lease: { token: string; signal: AbortSignal },
  metrics: Record<string, number>,
): TaskContext {
  const { bus, buffer, now } = deps;
  const log = (level: LogLevel, message: string): void => {
    if (lease.signal.aborted) return;
    const text = String(message);
    buffer.log({
      taskId: info.id,
      token: lease.token,
      attempt: info.attempt,
      level,
      message: text,
    });
    if (bus.has('task.log')) {
      bus.emit('task.log', {
        taskId: info.id,
        type: info.type,
        attempt: info.attempt,
        level,
        message: text,
        at: new Date(now()),
      });
    }
  };
  return {
    signal: lease.signal,
    attempt: info.attempt,
    task: info,
    progress(percent: number, message?: string): void {
      if (lease.signal.aborted) return;
      const pct = Math.min(100, Math.max(0, Number.isFinite(percent) ? percent : 0));
      const msg = message === undefined ? null : String(message);
      buffer.setProgress({ id: info.id, token: lease.token, percent: pct, message: msg });
      if (bus.has('task.progress')) {
        bus.emit('task.progress', {
          taskId: info.id,
          type: info.type,
          percent: pct,
          message: msg,
          at: new Date(now()),
        });
      }
    },
    log: {
      info: (m) => log('info', m),
      warn: (m) => log('warn', m),
      error: (m) => log('error', m),
    },
    metric(name: string, value: number): void {
      if (typeof value === 'number' && Number.isFinite(value)) metrics[String(name)] = value;
    },
    artifacts: {
      async put(name: string, data: string | Uint8Array): Promise<Artifact> {
        const file = await writeArtifactFile(deps.dataDir, info, name, data, now());
        return recordArtifact(deps, lease.token, file);
      },
    },
  };
}
