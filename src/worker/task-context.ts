import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskContext, TaskInfo } from '../core/context.ts';
import { LeaseLostError, ValidationError } from '../core/errors.ts';
import type { EventBus } from '../core/event-bus.ts';
import { uuidv7 } from '../core/ids.ts';
import type { Artifact, LogLevel } from '../core/task.ts';
import type { Store } from '../store/contract.ts';
import type { WriteBuffer } from './write-buffer.ts';

export interface ContextDeps {
  store: Store;
  bus: EventBus;
  buffer: WriteBuffer;
  now: () => number;
  dataDir: string;
}

const ARTIFACT_NAME = /^[^/\\\0]{1,200}$/;

function checkArtifactName(name: string): void {
  if (typeof name !== 'string' || !ARTIFACT_NAME.test(name) || name === '.' || name === '..') {
    throw new ValidationError(
      'ARTIFACT_NAME_INVALID',
      `Artifact name ${JSON.stringify(name)} is not allowed: use 1..200 characters without "/", "\\" or NUL.`,
      [{ path: 'name', message: 'expected 1..200 characters, no path separators' }],
    );
  }
}

/** The handler's context for one attempt; `metrics` collects what `ctx.metric` records. */
export function createTaskContext(
  deps: ContextDeps,
  info: TaskInfo,
  lease: { token: string; signal: AbortSignal },
  metrics: Record<string, number>,
): TaskContext {
  const { store, bus, buffer, now } = deps;
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
        checkArtifactName(name);
        const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
        const id = uuidv7(now());
        const rel = join('artifacts', info.id, `${info.attempt}-${id}-${name}`);
        const abs = join(deps.dataDir, rel);
        await mkdir(join(deps.dataDir, 'artifacts', info.id), { recursive: true });
        await writeFile(abs, bytes);
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        const result = await store.artifactInsert({
          now: now(),
          token: lease.token,
          artifact: {
            id,
            taskId: info.id,
            attempt: info.attempt,
            name,
            path: rel,
            size: bytes.byteLength,
            sha256,
          },
        });
        if (!result.ok) {
          // The row was refused, so the file must not outlive the refusal.
          await rm(abs, { force: true });
          throw new LeaseLostError(info.id, 'artifact');
        }
        return result.artifact;
      },
    },
  };
}
