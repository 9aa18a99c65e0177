import type { MemberKind } from './crash-cause.ts';
import { Member, type MemberOutcome } from './member.ts';
import type { ResolvedPoolOptions } from './options.ts';
import type { MemberEvent, MemberJob } from './protocol.ts';

/** What a pool looks like now: for `stats`, the CLI and tests. */
export interface PoolSnapshot {
  kind: MemberKind;
  size: number;
  busy: number;
  members: { pid: number; threadId: number; tasksRun: number; replaced: number }[];
}

/**
 * The threads or processes of one executor kind. A task takes the first free member, or waits
 * in line (first come, first served) until one is free; members start on first use.
 */
export class MemberPool {
  readonly kind: MemberKind;
  private readonly members: Member[];
  /** Tasks waiting for a member, first come first served; each is handed one, or null. */
  private readonly waiting: ((member: Member | null) => void)[] = [];
  private closed = false;

  constructor(kind: MemberKind, options: ResolvedPoolOptions) {
    this.kind = kind;
    this.members = Array.from({ length: options.size }, () => new Member(kind, options));
  }

  /** Run a job on a free member; `stopped` when it was aborted before or while it ran. */
  async run(
    job: Omit<MemberJob, 'port'>,
    onEvent: (event: MemberEvent) => void,
    abort: AbortSignal,
  ): Promise<MemberOutcome> {
    const member = await this.acquire(abort);
    if (!member) return { kind: 'stopped' };
    try {
      return await member.run(job, onEvent, abort);
    } finally {
      this.release(member);
    }
  }

  snapshot(): PoolSnapshot {
    return {
      kind: this.kind,
      size: this.members.length,
      busy: this.members.filter((m) => m.busy).length,
      members: this.members.map((m) => ({
        pid: m.pid,
        threadId: m.threadId,
        tasksRun: m.tasksRun,
        replaced: m.replaced,
      })),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const hand of this.waiting.splice(0)) hand(null);
    await Promise.all(this.members.map((m) => m.close()));
  }

  private acquire(abort: AbortSignal): Promise<Member | null> {
    if (this.closed || abort.aborted) return Promise.resolve(null);
    const free = this.members.find((m) => !m.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => {
      const hand = (member: Member | null): void => {
        abort.removeEventListener('abort', onAbort);
        resolve(member);
      };
      const onAbort = (): void => {
        const at = this.waiting.indexOf(hand);
        if (at >= 0) this.waiting.splice(at, 1);
        resolve(null);
      };
      abort.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(hand);
    });
  }

  private release(member: Member): void {
    const next = this.closed ? undefined : this.waiting.shift();
    if (next) next(member);
    else member.busy = false;
  }
}
