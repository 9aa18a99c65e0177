import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'vitest';
import { useFaultHarness } from './harness.ts';

const harness = useFaultHarness();

const ROUNDS = 12;

describe('kill -9 while a fresh database is being created', () => {
  it('leaves it openable: the next process migrates and starts a worker', async () => {
    const kills: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const place = harness.unopened();
      const config = { worker: { handleSignals: false } };
      const victim = harness.worker(place, config);
      // Start-up takes a few hundred ms here: most kills land in opening and migrating.
      const delayMs = 40 + Math.floor(Math.random() * 260);
      await sleep(delayMs);
      victim.signal('SIGKILL');
      await victim.closed;
      kills.push(
        `${delayMs}${victim.lines.some((l) => l.startsWith('ready ')) ? ' (after ready)' : ''}`,
      );
      const next = harness.worker(place, config);
      await next.waitForLine('ready', (l) => l.startsWith('ready '), 15_000);
      await next.destroy();
    }
    console.info(`kill delays in ms: ${kills.join(', ')}`);
  }, 60_000);
});
