/**
 * `npm run bench`: each scenario in a fresh process (so peak RSS is its own), one after another,
 * then a table. `--quick` runs smaller counts for a smoke check.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from '../scripts/build.ts';

const quick = process.argv.includes('--quick');
const big = quick ? 10_000 : 100_000;
// [script, its arguments, Node flags]. The last row shows how much of the peak RSS is V8 sizing
// its young generation by the machine's memory rather than taskmill's own.
const scenarios: [string, string[], string[]][] = [
  ['bulk-submit.ts', [String(big)], []],
  ['process.ts', [String(big), '32'], []],
  ['process.ts', [String(big), '1'], []],
  ['latency.ts', [quick ? '100' : '500', 'local'], []],
  ['latency.ts', [quick ? '100' : '500', 'remote'], []],
  ['process.ts', [String(big), '32', 'small young generation'], ['--max-semi-space-size=4']],
];

// Measure the JavaScript an installed package runs: Node's type stripping of the sources would
// add its own start-up time and some 20-40 MB of memory to every figure.
const buildDir = fileURLToPath(new URL('./.build/', import.meta.url));
build(fileURLToPath(new URL('./tsconfig.json', import.meta.url)), buildDir, `${buildDir}src`);

const rows: Record<string, number | string>[] = [];
for (const [file, args, flags] of scenarios) {
  const script = `${buildDir}bench/scenarios/${file.replace(/\.ts$/, '.js')}`;
  const run = spawnSync(process.execPath, ['--no-warnings', ...flags, script, ...args], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  if (run.status !== 0 || !last.startsWith('{')) {
    process.stderr.write(`${file} ${args.join(' ')} failed:\n${run.stderr}\n`);
    process.exit(1);
  }
  const row = JSON.parse(last) as Record<string, number | string>;
  rows.push(row);
  process.stderr.write(`${JSON.stringify(row)}\n`);
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `taskmill ${quick ? '(quick) ' : ''}on SQLite — Node ${process.version}, ${availableParallelism()} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB\n`,
);
console.log('| scenario | tasks | tasks/s | p50 ms | p99 ms | peak RSS MB |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(
    `| ${r['scenario']} | ${r['tasks']} | ${r['tasksPerSecond'] ?? ''} | ${r['p50Ms'] ?? ''} | ${r['p99Ms'] ?? ''} | ${r['peakRssMb']} |`,
  );
}
