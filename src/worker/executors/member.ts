import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import workerpool from 'workerpool';
import { siblingFile } from '../../core/sibling-file.ts';
import { crashCause, type MemberKind } from './crash-cause.ts';
import type { ResolvedPoolOptions } from './options.ts';
import {
  ABORT_SIGNAL,
  type CrossedError,
  type MemberEvent,
  type MemberJob,
  type MemberReply,
} from './protocol.ts';

const ENTRY = fileURLToPath(siblingFile('./member-entry', import.meta.url));
const MiB = 1024 * 1024;

type WorkerPool = ReturnType<typeof workerpool.pool>;

export type MemberOutcome =
  | { kind: 'reply'; reply: MemberReply }
  | { kind: 'crashed'; cause: string }
  /** Killed after an abort it did not answer within the grace. */
  | { kind: 'stopped' };

/** Signal a process, or with `group` its whole process group; gone already is fine. */
function signal(pid: number, name: NodeJS.Signals, group: boolean): void {
  try {
    process.kill(group ? -pid : pid, name);
  } catch {
    // ESRCH: it exited meanwhile.
  }
}

/**
 * A thread's heap limits. At the limit Node ends the thread and lets the collection under way
 * finish with 16 MB to spare; a young generation larger than that can promote more in one
 * scavenge, and V8 then aborts the whole process instead of the thread (11 runs in 90 of a
 * thread filling a 64 MB heap, on a loaded 2-core machine; 0 in 180 with the young generation
 * held to a sixteenth of the heap, at most 8 MB).
 */
function threadLimits(heapMb: number): {
  maxOldGenerationSizeMb: number;
  maxYoungGenerationSizeMb: number;
} {
  return {
    maxOldGenerationSizeMb: heapMb,
    maxYoungGenerationSizeMb: Math.min(8, Math.max(1, Math.floor(heapMb / 16))),
  };
}

/**
 * One thread or process of an executor pool, with one task at a time. It runs on a workerpool
 * pool of size one, so that taskmill can recycle or kill exactly this member. A process member
 * leads its own process group, so a kill takes the children it started with it.
 */
export class Member {
  readonly kind: MemberKind;
  /** Set while a task holds this member (from acquire to the end of its run). */
  busy = false;
  /** Of the current thread or process; 0 until it reports in. */
  pid = 0;
  threadId = 0;
  /** Tasks run by the current thread or process. */
  tasksRun = 0;
  /** Threads or processes this member went through (recycled, killed or crashed). */
  replaced = 0;
  private pool: WorkerPool | null = null;
  private readonly options: ResolvedPoolOptions;

  constructor(kind: MemberKind, options: ResolvedPoolOptions) {
    this.kind = kind;
    this.options = options;
  }

  async run(
    job: Omit<MemberJob, 'port'>,
    onEvent: (event: MemberEvent) => void,
    abort: AbortSignal,
  ): Promise<MemberOutcome> {
    this.pool ??= this.spawn();
    const pool = this.pool;
    const channel = this.kind === 'thread' ? new MessageChannel() : null;
    let said: CrossedError | null = null;
    let stopping = false;
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      stopping = true;
      if (channel) channel.port1.postMessage({ t: 'abort' });
      else if (this.pid) signal(this.pid, ABORT_SIGNAL, false);
      killTimer = setTimeout(() => this.kill(), this.options.killGraceMs);
    };
    const payload: MemberJob = channel ? { ...job, port: channel.port2 } : job;
    const running = pool.exec('run', [payload], {
      on: (event: MemberEvent) => {
        if (event.t === 'start') {
          this.pid = event.pid;
          this.threadId = event.threadId;
          // An abort that came before the member said who it is reaches it now.
          if (stopping && !channel) signal(this.pid, ABORT_SIGNAL, false);
        } else if (event.t === 'crash') said = event.error;
        onEvent(event);
      },
      transfer: channel ? [channel.port2] : undefined,
    });
    if (abort.aborted) onAbort();
    else abort.addEventListener('abort', onAbort, { once: true });
    try {
      const reply = (await running) as MemberReply;
      this.tasksRun++;
      if (this.outgrown(reply)) this.retire();
      return { kind: 'reply', reply };
    } catch (error) {
      if (stopping) return { kind: 'stopped' };
      // workerpool starts a fresh thread or process in this pool for the next task; whatever
      // the dead process started goes with it.
      if (this.kind === 'process' && this.pid) signal(this.pid, 'SIGKILL', true);
      this.pid = 0;
      this.threadId = 0;
      this.tasksRun = 0;
      this.replaced++;
      return {
        kind: 'crashed',
        cause: crashCause(this.kind, error, said, this.options.heapLimitMb),
      };
    } finally {
      clearTimeout(killTimer);
      abort.removeEventListener('abort', onAbort);
      channel?.port1.close();
    }
  }

  /** Stop the thread or process now; the next task gets a new one. */
  kill(): void {
    const pool = this.pool;
    if (!pool) return;
    this.pool = null;
    this.replaced++;
    if (this.kind === 'process' && this.pid) signal(this.pid, 'SIGKILL', true);
    void pool.terminate(true).catch(() => undefined);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    if (!pool) return;
    if (this.busy && this.kind === 'process' && this.pid) signal(this.pid, 'SIGKILL', true);
    await pool.terminate(true).catch(() => undefined);
  }

  /** Past its task count or memory ceiling: replace it before the next task. */
  private outgrown(reply: MemberReply): boolean {
    const { maxTasks, maxMemoryMb } = this.options;
    if (maxTasks !== undefined && this.tasksRun >= maxTasks) return true;
    if (maxMemoryMb === undefined) return false;
    const bytes = this.kind === 'process' ? reply.memory.rssBytes : reply.memory.heapUsedBytes;
    return bytes > maxMemoryMb * MiB;
  }

  private retire(): void {
    const pool = this.pool;
    this.pool = null;
    this.replaced++;
    void pool?.terminate().catch(() => undefined);
  }

  private spawn(): WorkerPool {
    this.pid = 0;
    this.threadId = 0;
    this.tasksRun = 0;
    const heap = this.options.heapLimitMb;
    return workerpool.pool(ENTRY, {
      workerType: this.kind,
      maxWorkers: 1,
      workerTerminateTimeout: 1000,
      forkOpts: {
        detached: true,
        serialization: 'advanced',
        execArgv: heap ? [...process.execArgv, `--max-old-space-size=${heap}`] : process.execArgv,
      },
      workerThreadOpts: heap ? { resourceLimits: threadLimits(heap) } : {},
    });
  }
}
