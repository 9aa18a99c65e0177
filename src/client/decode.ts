/**
 * JSON from the API back into the library's shapes: ISO strings become `Date`, absent nullable
 * fields become null, and the task id the API leaves out of history, log and artifact rows (the
 * caller asked for one task) is put back. A body without the fields that make it what it claims
 * to be is SERVER_RESPONSE_INVALID, not a half-filled object.
 */
import type { PriorityName } from '../core/priority.ts';
import type { QueueInfo } from '../core/queue.ts';
import type { TaskmillStats } from '../core/stats-report.ts';
import type { TaskStatus } from '../core/status.ts';
import type {
  Execution,
  ExecutionMetrics,
  ExecutionOutcome,
  HistoryEntry,
  LogEntry,
  LogLevel,
  TaskErrorInfo,
} from '../core/task.ts';
import { invalidResponse } from './http.ts';
import type {
  AccessInfo,
  RemoteArtifact,
  RemoteQueue,
  RemoteTask,
  RemoteWorker,
  Scope,
} from './types.ts';

type Json = Record<string, unknown>;

export class Decoder {
  private readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  object(value: unknown, what: string, required: readonly string[] = []): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw invalidResponse(this.url, `${what} is not a JSON object`);
    }
    const o = value as Json;
    const missing = required.filter((key) => o[key] === undefined || o[key] === null);
    if (missing.length > 0) {
      throw invalidResponse(this.url, `${what} lacks ${missing.join(', ')}`, { missing });
    }
    return o;
  }

  array(value: unknown, what: string): unknown[] {
    if (!Array.isArray(value)) throw invalidResponse(this.url, `${what} is not a JSON array`);
    return value;
  }

  date(value: unknown, what: string): Date {
    const at = typeof value === 'string' ? new Date(value) : null;
    if (at === null || Number.isNaN(at.getTime())) {
      throw invalidResponse(this.url, `${what} is not a time: ${JSON.stringify(value)}`);
    }
    return at;
  }

  dateOrNull(value: unknown, what: string): Date | null {
    return value === null || value === undefined ? null : this.date(value, what);
  }

  task(value: unknown): RemoteTask {
    const o = this.object(value, 'a task', ['id', 'type', 'status', 'createdAt']);
    return {
      id: String(o['id']),
      name: typeof o['name'] === 'string' ? o['name'] : null,
      type: String(o['type']),
      queue: String(o['queue']),
      priority: o['priority'] as PriorityName,
      status: o['status'] as TaskStatus,
      input: o['input'],
      output: o['output'] ?? null,
      error: (o['error'] ?? null) as TaskErrorInfo | null,
      attempt: Number(o['attempt'] ?? 0),
      maxAttempts: Number(o['maxAttempts'] ?? 0),
      progress: typeof o['progress'] === 'number' ? o['progress'] : null,
      progressMessage: typeof o['progressMessage'] === 'string' ? o['progressMessage'] : null,
      idempotencyKey: typeof o['idempotencyKey'] === 'string' ? o['idempotencyKey'] : null,
      runAt: this.date(o['runAt'], 'task.runAt'),
      createdAt: this.date(o['createdAt'], 'task.createdAt'),
      updatedAt: this.date(o['updatedAt'], 'task.updatedAt'),
      startedAt: this.dateOrNull(o['startedAt'], 'task.startedAt'),
      finishedAt: this.dateOrNull(o['finishedAt'], 'task.finishedAt'),
      workerId: typeof o['workerId'] === 'string' ? o['workerId'] : null,
      cancelRequested: o['cancelRequested'] === true,
      timeout: (o['timeout'] ?? null) as RemoteTask['timeout'],
      schedule: this.scheduleLink(o['schedule']),
      pipeline: this.pipelineLink(o['pipeline']),
    };
  }

  /** A task's pipeline link, or null (a server from before pipelines sends none). */
  private pipelineLink(value: unknown): RemoteTask['pipeline'] {
    if (value === null || value === undefined) return null;
    const o = this.object(value, 'a task.pipeline', ['runId', 'step']);
    return {
      runId: String(o['runId']),
      step: String(o['step']),
      item: typeof o['item'] === 'number' ? o['item'] : null,
    };
  }

  /** A task's schedule link, or null (a server from before schedules sends none). */
  private scheduleLink(value: unknown): RemoteTask['schedule'] {
    if (value === null || value === undefined) return null;
    const o = this.object(value, 'a task.schedule', ['schedule', 'scheduledAt']);
    return {
      schedule: String(o['schedule']),
      scheduledAt: this.date(o['scheduledAt'], 'task.schedule.scheduledAt'),
      backfill: o['backfill'] === true,
      manual: o['manual'] === true,
    };
  }

  tasks(value: unknown, what: string): RemoteTask[] {
    return this.array(value, what).map((t) => this.task(t));
  }

  history(value: unknown, taskId: string): HistoryEntry[] {
    return this.array(value, 'the history').map((row) => {
      const o = this.object(row, 'a history entry', ['id', 'to', 'at']);
      return {
        id: Number(o['id']),
        taskId,
        from: (o['from'] ?? null) as TaskStatus | null,
        to: o['to'] as TaskStatus,
        at: this.date(o['at'], 'history.at'),
        reason: typeof o['reason'] === 'string' ? o['reason'] : null,
        workerId: typeof o['workerId'] === 'string' ? o['workerId'] : null,
      };
    });
  }

  logs(value: unknown, taskId: string): LogEntry[] {
    return this.array(value, 'the log lines').map((row) => {
      const o = this.object(row, 'a log line', ['id', 'at']);
      return {
        id: Number(o['id']),
        taskId,
        attempt: Number(o['attempt'] ?? 0),
        level: o['level'] as LogLevel,
        message: String(o['message'] ?? ''),
        at: this.date(o['at'], 'log.at'),
      };
    });
  }

  artifacts(value: unknown, taskId: string): RemoteArtifact[] {
    return this.array(value, 'the artifacts').map((row) => {
      const o = this.object(row, 'an artifact', ['id', 'name', 'sha256']);
      return {
        id: String(o['id']),
        taskId,
        attempt: Number(o['attempt'] ?? 0),
        name: String(o['name']),
        size: Number(o['size'] ?? 0),
        sha256: String(o['sha256']),
        createdAt: this.date(o['createdAt'], 'artifact.createdAt'),
      };
    });
  }

  /** A task's attempts, the task id put back; an error's stack only where the server sent one. */
  attempts(value: unknown, taskId: string): Execution[] {
    return this.array(value, 'the attempts').map((row) => {
      const o = this.object(row, 'an attempt', ['id', 'attempt', 'startedAt']);
      const e = isPlainObject(o['error']) ? o['error'] : null;
      return {
        id: String(o['id']),
        taskId,
        attempt: Number(o['attempt']),
        workerId: String(o['workerId'] ?? ''),
        startedAt: this.date(o['startedAt'], 'attempt.startedAt'),
        finishedAt: this.dateOrNull(o['finishedAt'], 'attempt.finishedAt'),
        outcome: (o['outcome'] ?? null) as ExecutionOutcome | null,
        error:
          e === null
            ? null
            : {
                code: String(e['code'] ?? ''),
                message: String(e['message'] ?? ''),
                ...(typeof e['stack'] === 'string' ? { stack: e['stack'] } : {}),
                retryable: e['retryable'] === true,
              },
        metrics: (isPlainObject(o['metrics']) ? o['metrics'] : null) as ExecutionMetrics | null,
      };
    });
  }

  /** The queues, their oldest waiting time as Date (null from a server that sends none). */
  queues(value: unknown): RemoteQueue[] {
    return this.array(value, 'the queues').map((row) => {
      const o = this.object(row, 'a queue', ['name']);
      const waitedMs = o['oldestWaitingMs'];
      return {
        name: String(o['name']),
        paused: o['paused'] === true,
        concurrency: typeof o['concurrency'] === 'number' ? o['concurrency'] : null,
        counts: (isPlainObject(o['counts']) ? o['counts'] : {}) as QueueInfo['counts'],
        oldestWaitingAt: this.dateOrNull(o['oldestWaitingAt'], 'queue.oldestWaitingAt'),
        oldestWaitingMs: typeof waitedMs === 'number' ? waitedMs : null,
      };
    });
  }

  access(value: unknown): AccessInfo {
    const o = this.object(value, 'the access answer', ['tokensRequired', 'scopes']);
    return {
      tokensRequired: o['tokensRequired'] === true,
      scopes: this.array(o['scopes'], 'access.scopes').map(String) as Scope[],
    };
  }

  /** The stats with their hours as Date, overall and in each type's and queue's group. */
  stats(value: unknown): TaskmillStats {
    const o = this.object(value, 'the stats', ['byStatus', 'total']);
    const reviveHours = (group: unknown) => {
      const hourly = typeof group === 'object' && group !== null ? (group as Json)['hourly'] : null;
      if (!Array.isArray(hourly)) return;
      for (const h of hourly as Json[]) h['hour'] = this.date(h['hour'], 'stats.hourly.hour');
    };
    reviveHours(o);
    for (const key of ['perType', 'perQueue']) {
      const groups = o[key];
      if (typeof groups === 'object' && groups !== null) Object.values(groups).forEach(reviveHours);
    }
    return o as unknown as TaskmillStats;
  }

  workers(value: unknown): RemoteWorker[] {
    return this.array(value, 'the workers').map((row) => {
      const o = this.object(row, 'a worker', ['id', 'state']);
      return {
        id: String(o['id']),
        name: String(o['name'] ?? ''),
        host: String(o['host'] ?? ''),
        pid: Number(o['pid'] ?? 0),
        concurrency: Number(o['concurrency'] ?? 0),
        types: Array.isArray(o['types']) ? o['types'].map(String) : [],
        queues: Array.isArray(o['queues']) ? o['queues'].map(String) : null,
        version: String(o['version'] ?? ''),
        startedAt: this.date(o['startedAt'], 'worker.startedAt'),
        lastHeartbeatAt: this.date(o['lastHeartbeatAt'], 'worker.lastHeartbeatAt'),
        load: Number(o['load'] ?? 0),
        rssBytes: Number(o['rssBytes'] ?? 0),
        state: o['state'] as RemoteWorker['state'],
        unitType: typeof o['unitType'] === 'string' ? o['unitType'] : null,
        endpoint: typeof o['endpoint'] === 'string' ? o['endpoint'] : null,
        metadata: isPlainObject(o['metadata']) ? o['metadata'] : null,
        tasks: Array.isArray(o['tasks']) ? o['tasks'].map(String) : [],
      };
    });
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
