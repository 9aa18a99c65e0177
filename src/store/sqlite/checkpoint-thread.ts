/**
 * The body of the checkpoint thread (see checkpointer.ts): its own connection to the database
 * file, a PASSIVE checkpoint at each interval, and a report of what it did. It never blocks the
 * writers; if the database is busy it tries again at the next interval.
 */
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

interface Setup {
  path: string;
  busyTimeoutMs: number;
  intervalMs: number;
}

const { path, busyTimeoutMs, intervalMs } = workerData as Setup;
const db = new DatabaseSync(path, { timeout: busyTimeoutMs });
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

setInterval(() => {
  try {
    const r = checkpoint.get() as { busy: number; log: number; checkpointed: number };
    if (r.log > 0) parentPort?.postMessage({ log: r.log, checkpointed: r.checkpointed });
  } catch {
    // Busy or locked: the next interval tries again.
  }
}, intervalMs);

parentPort?.on('message', (m: unknown) => {
  if (m === 'stop') {
    db.close();
    process.exit(0);
  }
});
