import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'vitest';
import { forEachBackend, repeats } from '../helpers/backends.ts';
import { useFaultHarness } from './harness.ts';

/** On SQLite; fewer where the backend's share says so (5 on PostgreSQL). */
const FULL_ROUNDS = 12;

forEachBackend((backend) => {
  const harness = useFaultHarness({ backend });

  describe('kill -9 while a fresh database is being created', () => {
    it('leaves it openable: the next process migrates and starts a worker', async () => {
      const kills: string[] = [];
      // One start unharmed, timed: the kills then spread over the start-up this machine and
      // this backend take, opening, connecting and migrating alike.
      const first = harness.worker(await harness.unopened(), { worker: { handleSignals: false } });
      await first.waitForLine('ready', (l) => l.startsWith('ready '), 15_000);
      const startupMs = Date.now() - first.spawnedAt;
      await first.destroy();
      for (let round = 0; round < repeats(backend, FULL_ROUNDS); round++) {
        const place = await harness.unopened();
        const config = { worker: { handleSignals: false } };
        const victim = harness.worker(place, config);
        const delayMs = 40 + Math.floor(Math.random() * Math.max(260, startupMs * 0.7));
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
      console.info(
        `${backend.name}: start-up ${startupMs} ms; kill delays in ms: ${kills.join(', ')}`,
      );
    }, 60_000);
  });
});
