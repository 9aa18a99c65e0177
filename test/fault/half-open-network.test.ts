/**
 * A half-open network between one worker and its database server: a relay of the test's own
 * stops moving bytes both ways and closes nothing (no FIN, no RST), so no socket error arrives. The
 * worker must notice by its own timeouts (`queryTimeoutMs`, `connectTimeoutMs` in its URL), a
 * worker on a good link must recover its tasks once their leases expire and complete each once,
 * and when the relay forwards again the cut-off worker must find out it lost those tasks, say
 * the database answers again and claim new work, all by itself. On PostgreSQL and MySQL/MariaDB
 * (the same URL parameters): SQLite has no network.
 */
import { describe, expect, it } from 'vitest';
import { MYSQL, POSTGRES } from '../helpers/backends.ts';
import type { ChildScript } from '../helpers/child-process.ts';
import { type TcpProxy, tcpProxy } from '../helpers/tcp-proxy.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { listAll, readLedger, statusCounts, useFaultHarness } from './harness.ts';

const TASKS = 4;
const SOLO_TASKS = 3;
const LEASE_MS = 3_000;
/** The heartbeat's default for this lease (a third of it). */
const HEARTBEAT_MS = LEASE_MS / 3;
const SWEEP_MS = 500;
const QUERY_TIMEOUT_MS = 1_500;
const CONNECT_TIMEOUT_MS = 1_500;
/** Room for a loaded two-core machine on top of each bound the product promises. */
const SLACK_MS = 4_000;
/** The cut-off worker's tasks would run this long; only their abort can end them in time. */
const RUN_MS = 60_000;

/** Wall-clock times and details a worker printed on lines starting with `prefix`. */
function said(child: ChildScript, prefix: string): string[][] {
  return child.lines.filter((l) => l.startsWith(`${prefix} `)).map((l) => l.split(' ').slice(1));
}

describe.each([POSTGRES, MYSQL])('half-open network between one worker and $name', (backend) => {
  const harness = useFaultHarness({ backend });

  it('notices within its timeouts, loses its tasks to another worker, and recovers by itself', async () => {
    const env = await harness.env();
    const db = new URL(env.url);
    let proxy: TcpProxy | null = null;
    const figures: string[] = [];
    try {
      proxy = await tcpProxy({ host: db.hostname, port: Number(db.port) });
      const relayed = new URL(env.url);
      relayed.port = String(proxy.port);
      relayed.searchParams.set('queryTimeoutMs', String(QUERY_TIMEOUT_MS));
      relayed.searchParams.set('connectTimeoutMs', String(CONNECT_TIMEOUT_MS));

      // Two free slots beyond its tasks keep its claim loop asking the database during the stall.
      const cutOff = harness.worker(
        { ...env, url: relayed.toString() },
        {
          worker: {
            queues: ['main', 'solo'],
            concurrency: TASKS + 2,
            prefetch: 0,
            leaseMs: LEASE_MS,
            pollMs: 200,
          },
        },
      );
      await cutOff.waitForLine('ready', (l) => l.startsWith('ready '), 20_000);
      const tasks = await env.mill.submitMany(
        Array.from({ length: TASKS }, () => ({
          type: 'fault.work' as const,
          input: { ms: RUN_MS, quiet: true },
          options: { queue: 'main' },
        })),
      );
      const ids = new Set(tasks.map((t) => t.id));
      const startsOf = (pid: number) =>
        readLedger(env.ledger).filter((l) => l.pid === pid && l.event === 'start');
      await waitFor(`the cut-off worker to start all ${TASKS}`, () =>
        startsOf(cutOff.pid).length === TASKS ? true : undefined,
      );

      const rescuer = harness.worker(env, {
        capMs: 200,
        worker: {
          queues: ['main'],
          concurrency: TASKS,
          leaseMs: LEASE_MS,
          sweepMs: SWEEP_MS,
          pollMs: 100,
        },
      });
      await rescuer.waitForLine('ready', (l) => l.startsWith('ready '), 20_000);

      proxy.stall();
      const stalledAt = Date.now();
      // Its next heartbeat (or claim) waits out one query timeout, and then it says so.
      const noticeBound = HEARTBEAT_MS + QUERY_TIMEOUT_MS + SLACK_MS;
      const [noticedAt = '0', ...reason] = await cutOff
        .waitForLine('the outage report', (l) => l.startsWith('database.unavailable '), noticeBound)
        .then((l) => l.split(' ').slice(1));
      const noticeMs = Number(noticedAt) - stalledAt;
      figures.push(`noticed after ${noticeMs} ms (${reason.join(' ')})`);
      expect(noticeMs, 'time to notice').toBeLessThanOrEqual(noticeBound);
      // Nothing but a timeout can tell it: no error ever reaches a socket of a stalled link.
      // (A statement sent just before the stall may time out a little before stall + timeout.)
      expect(noticeMs, 'noticed by its query timeout').toBeGreaterThanOrEqual(
        QUERY_TIMEOUT_MS - 200,
      );
      // A read that timed out is an outage (STORE_UNAVAILABLE), like a refused connection.
      expect(reason.join(' ')).toMatch(/^STORE_UNAVAILABLE/);

      // The leases it can no longer renew expire; a sweep later they run on the rescuer.
      const recoverBound = LEASE_MS + SWEEP_MS + SLACK_MS;
      await waitFor(
        `all ${TASKS} completed by the rescuer`,
        async () => (await listAll(env.mill, ['completed'])).length === TASKS,
        { timeoutMs: recoverBound, everyMs: 100 },
      ).catch(async (error: unknown) => {
        throw new Error(
          `${String(error)}; statuses: ${JSON.stringify(await statusCounts(env.mill))}; ` +
            `cut-off worker said: ${cutOff.lines.slice(-5).join(' | ')}`,
        );
      });
      const rescued = readLedger(env.ledger).filter((l) => ids.has(l.taskId) && l.event === 'end');
      const recoveredMs = Math.max(...rescued.map((l) => l.at)) - stalledAt;
      figures.push(`all ${TASKS} completed by the other worker ${recoveredMs} ms after the stall`);
      for (const task of await listAll(env.mill, ['completed'])) {
        expect(task.output, `task ${task.id}: the rescuer's result`).toEqual({
          pid: rescuer.pid,
          tag: null,
        });
      }

      // The link comes back: the cut-off worker must learn by itself that its leases are gone,
      // give the tasks up, and take new work.
      const solo = await env.mill.submitMany(
        Array.from({ length: SOLO_TASKS }, () => ({
          type: 'fault.work' as const,
          input: { ms: 10, quiet: true },
          options: { queue: 'solo' },
        })),
      );
      const soloIds = new Set(solo.map((t) => t.id));
      proxy.resume();
      const resumedAt = Date.now();
      const selfBound = HEARTBEAT_MS + SLACK_MS;
      const [upAt = '0'] = await cutOff
        .waitForLine('the recovery report', (l) => l.startsWith('database.recovered '), selfBound)
        .then((l) => l.split(' ').slice(1));
      figures.push(`answered again ${Number(upAt) - resumedAt} ms after the link came back`);
      await waitFor(
        `the cut-off worker to give up all ${TASKS} lost tasks`,
        () =>
          readLedger(env.ledger).filter(
            (l) => ids.has(l.taskId) && l.pid === cutOff.pid && l.event === 'abort',
          ).length === TASKS
            ? true
            : undefined,
        { timeoutMs: selfBound },
      );
      const soloEnds = await waitFor(
        `the cut-off worker to run the ${SOLO_TASKS} tasks only it serves`,
        () => {
          const ends = readLedger(env.ledger).filter(
            (l) => soloIds.has(l.taskId) && l.event === 'end',
          );
          return ends.length === SOLO_TASKS ? ends : undefined;
        },
        { timeoutMs: selfBound },
      );
      const firstClaim = Math.min(
        ...readLedger(env.ledger)
          .filter((l) => soloIds.has(l.taskId) && l.event === 'start')
          .map((l) => l.at),
      );
      figures.push(`claimed again ${firstClaim - resumedAt} ms after the link came back`);
      expect(soloEnds.map((l) => l.pid)).toEqual(solo.map(() => cutOff.pid));

      // Exactly once: each recovered task ended once, on the rescuer; the cut-off worker's runs
      // were aborted (its lease lost, said on its heartbeat), never finished.
      const ledger = readLedger(env.ledger).filter((l) => ids.has(l.taskId));
      for (const id of ids) {
        const lines = ledger.filter((l) => l.taskId === id);
        expect(
          lines.map((l) => `${l.pid === cutOff.pid ? 'cut-off' : 'rescuer'} ${l.event}`).sort(),
          `task ${id}: handler runs`,
        ).toEqual(['cut-off abort', 'cut-off start', 'rescuer end', 'rescuer start']);
      }
      expect(
        said(cutOff, 'lease.lost').map(([id, what]) => [ids.has(id ?? '') ? 'ours' : id, what]),
        'lease losses the cut-off worker reported',
      ).toEqual([...ids].map(() => ['ours', 'heartbeat']));
      expect(said(cutOff, 'database.unavailable'), 'one outage report').toHaveLength(1);
      expect(said(cutOff, 'database.recovered'), 'one recovery report').toHaveLength(1);
      expect(said(rescuer, 'database.unavailable'), 'the rescuer saw no outage').toEqual([]);
      expect(cutOff.alive, `the cut-off worker still runs, stderr:\n${cutOff.stderr}`).toBe(true);
    } finally {
      await proxy?.cut();
      console.info(`half-open network on ${backend.name}:\n  ${figures.join('\n  ')}`);
    }
  }, 60_000);
});
