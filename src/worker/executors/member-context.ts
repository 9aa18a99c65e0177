import type { TaskContext, TaskInfo } from '../../core/context.ts';
import type { Artifact, LogLevel } from '../../core/task.ts';
import { writeArtifactFile } from '../artifact-file.ts';
import type { MemberEvent } from './protocol.ts';

/**
 * The handler's context inside a thread or process: the same API as inline, each call sent to
 * the worker as a message. An artifact's file is written here, so its bytes never cross; the
 * worker stores its row under the lease (and deletes the file if the lease is gone).
 */
export function memberContext(
  task: TaskInfo,
  dataDir: string,
  signal: AbortSignal,
  send: (event: MemberEvent) => void,
): TaskContext {
  const log = (level: LogLevel, message: string): void => {
    if (!signal.aborted) send({ t: 'log', level, message: String(message) });
  };
  return {
    signal,
    attempt: task.attempt,
    task,
    progress(percent: number, message?: string): void {
      if (signal.aborted) return;
      const pct = Math.min(100, Math.max(0, Number.isFinite(percent) ? percent : 0));
      send({
        t: 'progress',
        percent: pct,
        message: message === undefined ? null : String(message),
      });
    },
    log: {
      info: (m) => log('info', m),
      warn: (m) => log('warn', m),
      error: (m) => log('error', m),
    },
    metric(name: string, value: number): void {
      if (typeof value === 'number' && Number.isFinite(value)) {
        send({ t: 'metric', name: String(name), value });
      }
    },
    artifacts: {
      async put(name: string, data: string | Uint8Array): Promise<Artifact> {
        const file = await writeArtifactFile(dataDir, task, name, data, Date.now());
        send({ t: 'artifact', file });
        return { ...file, createdAt: new Date() };
      },
    },
  };
}
