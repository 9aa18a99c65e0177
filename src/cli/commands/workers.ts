import type { Command } from 'commander';
import type { WorkerInfo } from '../../core/worker-info.ts';
import { EXIT } from '../exit-codes.ts';
import { type Column, formatAge, formatBytes, table, toJson } from '../format.ts';
import { type GlobalOptions, globalsOf, withSession, write } from '../open-mill.ts';

interface ListFlags {
  json?: boolean;
}

type Listed = WorkerInfo;

/** The longest a metadata cell gets before it is cut (`--json` has all of it). */
const METADATA_WIDTH = 48;

/** `cpuUsage=45.2 memoryUsage=67.8`, cut to METADATA_WIDTH. */
export function formatMetadata(metadata: Record<string, unknown> | null): string {
  if (metadata === null) return '-';
  const text = Object.entries(metadata)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return text.length > METADATA_WIDTH ? `${text.slice(0, METADATA_WIDTH - 1)}…` : text || '-';
}

/** Execution units' columns (seed 002), shown only when some worker has them: a fleet of
 * in-process workers keeps its table as it was. */
function unitColumns(workers: readonly Listed[]): Column<Listed>[] {
  const columns: Column<Listed>[] = [];
  if (workers.some((w) => !/^[0-9a-f-]{36}$/i.test(w.id))) {
    columns.push({ header: 'ID', value: (w) => w.id });
  }
  if (workers.some((w) => w.unitType !== null)) {
    columns.push({ header: 'UNIT TYPE', value: (w) => w.unitType ?? '-' });
  }
  if (workers.some((w) => w.endpoint !== null)) {
    columns.push({ header: 'ENDPOINT', value: (w) => w.endpoint ?? '-' });
  }
  if (workers.some((w) => w.metadata !== null)) {
    columns.push({ header: 'METADATA', value: (w) => formatMetadata(w.metadata) });
  }
  return columns;
}

export async function workersCommand(flags: ListFlags, globals: GlobalOptions): Promise<number> {
  return withSession(globals, { needsDefinitions: false }, async ({ mill }) => {
    const [workers, stats] = await Promise.all([mill.workers(), mill.stats()]);
    if (flags.json) {
      await write(toJson({ workers, unservedTypes: stats.unservedTypes }));
      return EXIT.ok;
    }
    const lines: string[] = [];
    lines.push(
      workers.length === 0
        ? 'no workers registered'
        : table(workers, [
            { header: 'NAME', value: (w) => w.name },
            { header: 'STATE', value: (w) => w.state },
            { header: 'LOAD', value: (w) => `${w.load}/${w.concurrency}`, align: 'right' },
            { header: 'RSS', value: (w) => formatBytes(w.rssBytes), align: 'right' },
            { header: 'HEARTBEAT', value: (w) => formatAge(w.lastHeartbeatAt) },
            { header: 'PID', value: (w) => String(w.pid), align: 'right' },
            { header: 'TYPES', value: (w) => w.types.join(',') },
            ...unitColumns(workers),
          ]),
    );
    if (stats.unservedTypes.length > 0) {
      lines.push(`\nqueued but served by no online worker: ${stats.unservedTypes.join(', ')}`);
    }
    await write(lines.join('\n'));
    return EXIT.ok;
  });
}

export async function queuesCommand(flags: ListFlags, globals: GlobalOptions): Promise<number> {
  return withSession(globals, { needsDefinitions: false }, async ({ mill }) => {
    const queues = await mill.queues();
    if (flags.json) {
      await write(toJson(queues));
      return EXIT.ok;
    }
    const count = (q: (typeof queues)[number], s: 'queued' | 'running' | 'retrying') =>
      String(q.counts[s] ?? 0);
    await write(
      queues.length === 0
        ? 'no queues yet'
        : table(queues, [
            { header: 'QUEUE', value: (q) => q.name },
            { header: 'STATE', value: (q) => (q.paused ? 'paused' : 'active') },
            {
              header: 'LIMIT',
              value: (q) => (q.concurrency === null ? '-' : String(q.concurrency)),
              align: 'right',
            },
            { header: 'QUEUED', value: (q) => count(q, 'queued'), align: 'right' },
            { header: 'RUNNING', value: (q) => count(q, 'running'), align: 'right' },
            { header: 'RETRYING', value: (q) => count(q, 'retrying'), align: 'right' },
          ]),
    );
    return EXIT.ok;
  });
}

export function registerWorkers(program: Command): void {
  program
    .command('workers')
    .description(
      'Registered workers: state, load, memory, last heartbeat; task types nobody serves',
    )
    .option('--json', 'print as JSON')
    .action(async (flags: ListFlags, command: Command) => {
      process.exitCode = await workersCommand(flags, globalsOf(command));
    });
  program
    .command('queues')
    .description('Queues with their state, concurrency limit and counts')
    .option('--json', 'print as JSON')
    .action(async (flags: ListFlags, command: Command) => {
      process.exitCode = await queuesCommand(flags, globalsOf(command));
    });
}
