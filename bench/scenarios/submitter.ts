import { createTaskmill } from '../../src/index.ts';
import { noop, wallMs } from './common.ts';

const [url, count] = process.argv.slice(2);
const mill = await createTaskmill({ database: url ?? '', tasks: [noop] });
for (let i = 0; i < Number(count); i++) {
  await mill.submit('bench.noop', { i, t: wallMs() });
  await new Promise((r) => setTimeout(r, 5));
}
await mill.close();
