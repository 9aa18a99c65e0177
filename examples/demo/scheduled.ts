/**
 * The task types of seed 003's cron jobs, which the demo's schedules file
 * (examples/demo/schedules.json, the seed's own `cron_jobs` plus one that fires every minute)
 * submits. A schedule's task type defaults to its job's key, so these carry the seed's names.
 */
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineTask } from 'taskmill';
import { z } from 'zod';

/** 数据采集 (@hourly): samples the machine's load and memory, as a collector would a source. */
export const dataCollection = defineTask({
  name: 'data_collection',
  description: "Seed 003's hourly data collection: sample load and memory five times",
  input: z.object({ samples: z.number().int().min(1).max(60).default(5) }).default({ samples: 5 }),
  async run({ samples }, ctx) {
    const taken: { load1: number; freeMib: number }[] = [];
    for (let i = 0; i < samples; i++) {
      taken.push({ load1: os.loadavg()[0] ?? 0, freeMib: Math.round(os.freemem() / 2 ** 20) });
      ctx.progress(((i + 1) / samples) * 100, `sample ${i + 1} of ${samples}`);
      await sleep(100, undefined, { signal: ctx.signal });
    }
    ctx.log.info(`collected ${taken.length} samples`);
    return { samples: taken };
  },
});

const SCRATCH = path.join(os.tmpdir(), 'taskmill-demo-scratch');

/** 系统清理 (02:00 daily): deletes the demo's scratch files older than a day. */
export const systemCleanup = defineTask({
  name: 'system_cleanup',
  description: "Seed 003's nightly cleanup: delete the demo's scratch files older than a day",
  input: z
    .object({ olderThanHours: z.number().min(0).default(24) })
    .default({ olderThanHours: 24 }),
  async run({ olderThanHours }, ctx) {
    await mkdir(SCRATCH, { recursive: true });
    // Something to clean on a first run: one file per run, dated now.
    await writeFile(path.join(SCRATCH, `run-${Date.now()}.tmp`), 'demo scratch\n');
    const cutoff = Date.now() - olderThanHours * 3_600_000;
    let deleted = 0;
    for (const name of await readdir(SCRATCH)) {
      const file = path.join(SCRATCH, name);
      if ((await stat(file)).mtimeMs < cutoff) {
        await rm(file, { force: true });
        deleted += 1;
      }
    }
    ctx.log.info(`deleted ${deleted} scratch files older than ${olderThanHours} h in ${SCRATCH}`);
    return { folder: SCRATCH, deleted };
  },
});

/** 健康检查: event-loop delay and free memory over half a second. */
export const healthCheck = defineTask({
  name: 'health_check',
  description: "Seed 003's health check (every 30 min there; every minute in the demo)",
  input: z.object({}).default({}),
  async run(_input, ctx) {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    await sleep(500, undefined, { signal: ctx.signal });
    delay.disable();
    const p99Ms = Math.round(delay.percentile(99) / 1e6);
    const freeMib = Math.round(os.freemem() / 2 ** 20);
    const ok = p99Ms < 200 && freeMib > 64;
    if (!ok) ctx.log.warn(`unhealthy: loop delay p99 ${p99Ms} ms, ${freeMib} MiB free`);
    return { ok, eventLoopDelayP99Ms: p99Ms, freeMib };
  },
});
