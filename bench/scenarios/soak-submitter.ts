/**
 * The soak's submitting process: single `submit` calls on a fixed schedule of `rate` a second for
 * `durationMs` (as an application submits, one task per request), at most MAX_IN_FLIGHT at once.
 * A seeded draw gives `failRate` of the tasks the mode `fail` and `timeoutRate` the mode
 * `timeout` (one attempt, hard timeout `timeoutMs`). Prints a line of figures every `sampleMs`
 * and a last one when every submit has returned.
 */
import { createTaskmill } from '../../src/index.ts';
import { wallMs } from './common.ts';
import { SOAK_TYPE, type SoakChildConfig, soakLine, soakTask } from './soak-task.ts';

const MAX_IN_FLIGHT = 200;
const config = JSON.parse(process.argv[2] ?? '{}') as SoakChildConfig;
const mill = await createTaskmill({ database: config.url, tasks: [soakTask] });

/** mulberry32: the same fates on every run, so two runs offer the same load. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const draw = seeded(14);

let submitMs: number[] = [];
let submitted = 0;
let submitErrors = 0;
let inFlight = 0;
let next = 0;
let lastError = '';

async function submitOne(i: number): Promise<void> {
  const r = draw();
  const mode =
    r < config.failRate ? 'fail' : r < config.failRate + config.timeoutRate ? 'timeout' : 'ok';
  const t = wallMs();
  inFlight++;
  try {
    await mill.submit(
      SOAK_TYPE,
      { i, t, mode },
      mode === 'timeout' ? { maxAttempts: 1, timeout: { hardMs: config.timeoutMs } } : {},
    );
    submitMs.push(Math.round((wallMs() - t) * 100) / 100);
    submitted++;
  } catch (error) {
    submitErrors++;
    lastError = error instanceof Error ? error.message : String(error);
  } finally {
    inFlight--;
  }
}

function figures(start: number) {
  const due = Math.floor(
    ((Math.min(wallMs(), start + config.durationMs) - start) * config.rate) / 1000,
  );
  const out = { submitMs, submitted, submitErrors, behind: due - next };
  submitMs = [];
  submitted = 0;
  submitErrors = 0;
  return out;
}

const start = wallMs();
process.stdout.write(soakLine('ready', 'submitter', {}));
const timer = setInterval(() => {
  process.stdout.write(soakLine('sample', 'submitter', figures(start)));
}, config.sampleMs);
while (wallMs() - start < config.durationMs) {
  const due = Math.floor(((wallMs() - start) * config.rate) / 1000);
  while (next < due && inFlight < MAX_IN_FLIGHT) void submitOne(next++);
  await new Promise((r) => setTimeout(r, 5));
}
while (inFlight > 0) await new Promise((r) => setTimeout(r, 5));
clearInterval(timer);
if (lastError) process.stderr.write(`submitter: last submit error: ${lastError}\n`);
process.stdout.write(soakLine('final', 'submitter', figures(start)));
await mill.close();
