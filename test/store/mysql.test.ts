import { afterAll } from 'vitest';
import { runStoreConformance } from '../../src/store/conformance/index.ts';
import { openMysqlStore } from '../../src/store/mysql/index.ts';
import { freshMysqlDatabase } from '../helpers/mysql.ts';

const drops: (() => Promise<void>)[] = [];
let lastUrl: string | null = null;

// Some 200 databases: dropped four at a time, with the time a server shared by busy test forks
// needs (one at a time they overran the default 30 s hook timeout and were left behind).
afterAll(async () => {
  for (let i = 0; i < drops.length; i += 4) {
    await Promise.all(drops.slice(i, i + 4).map((drop) => drop()));
  }
}, 180_000);

runStoreConformance({
  name: 'mysql',
  // A new database per test: every test starts from an empty, freshly migrated store. Small
  // pools, since the test forks share one server.
  open: async () => {
    const fresh = await freshMysqlDatabase('conformance');
    drops.push(fresh.drop);
    lastUrl = fresh.url;
    return openMysqlStore({ url: fresh.url, poolSize: 4 });
  },
  openPeer: () => {
    if (lastUrl === null) throw new Error('openPeer before open');
    return openMysqlStore({ url: lastUrl, poolSize: 2 });
  },
});
