import { readFileSync } from 'node:fs';

/**
 * Whether a process still runs. A killed process whose parent died stays a zombie until the
 * machine's init reaps it, and signal 0 still reaches a zombie, so on Linux its state is read.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX] /.test(stat);
  } catch {
    return process.platform !== 'linux';
  }
}
