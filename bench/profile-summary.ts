/**
 * `npx node bench/profile-summary.ts <file.cpuprofile>`: a `node --cpu-prof` profile as shares of
 * the sampled time by where the code lives (idle, garbage collection, the pg driver, taskmill's
 * store, worker and core, zod, Node itself) and the functions with the most self time.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile>');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));

function category(n: ProfileNode): string {
  const { functionName, url } = n.callFrame;
  if (functionName === '(idle)') return 'idle (waiting on PostgreSQL / timers)';
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8 / native (program)';
  if (/node_modules\/(pg|pg-protocol|pg-pool|pg-types|pgpass)\//.test(url)) return 'pg driver';
  if (/node_modules\/zod\//.test(url)) return 'zod';
  if (url.includes('/src/store/')) return 'taskmill store adapter';
  if (url.includes('/src/worker/')) return 'taskmill worker';
  if (url.includes('/src/mill/') || url.includes('/src/core/')) return 'taskmill mill and core';
  if (url.includes('/bench/')) return 'bench harness';
  if (url.startsWith('node:') || url === '') return 'Node internals (net, streams, timers)';
  return 'other';
}

const self = new Map<number, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  self.set(id, (self.get(id) ?? 0) + dt);
  total += dt;
});

const byCategory = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const [id, us] of self) {
  const n = byId.get(id);
  if (!n) continue;
  const c = category(n);
  byCategory.set(c, (byCategory.get(c) ?? 0) + us);
  const where = n.callFrame.url.replace(/^.*\/(node_modules|src|bench)\//, '$1/');
  const key = `${n.callFrame.functionName || '(anonymous)'} ${where}:${n.callFrame.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
}

const pct = (us: number) => `${((100 * us) / total).toFixed(1)}%`.padStart(6);
console.log(`${(total / 1e6).toFixed(1)} s sampled`);
console.log('\n| share | where |\n| ---: | --- |');
for (const [c, us] of [...byCategory].sort((a, b) => b[1] - a[1]))
  console.log(`| ${pct(us)} | ${c} |`);
console.log('\nTop self time:');
for (const [f, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
  console.log(`${pct(us)}  ${f}`);
}
