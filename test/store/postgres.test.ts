import { afterAll } from 'vitest';
import { runStoreConformance } from '../../src/store/conformance/index.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { freshSchema } from '../helpers/postgres.ts';

const drops: (() => Promise<void>)[] = [];
let lastUrl: string | null = null;

afterAll(async () => {
  for (const drop of drops) await drop();
});

runStoreConformance({
  name: 'postgres',
  // A new schema per test: every test starts from an empty, freshly migrated store. Small
  // pools, since the test forks share one server.
  open: async () => {
    const fresh = await freshSchema('conformance');
    drops.push(fresh.drop);
    lastUrl = fresh.url;
    return openPostgresStore({ url: fresh.url, poolSize: 4 });
  },
  openPeer: () => {
    if (lastUrl === null) throw new Error('openPeer before open');
    return openPostgresStore({ url: lastUrl, poolSize: 2 });
  },
});
