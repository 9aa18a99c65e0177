/** The dashboard's first paint, as a table for the bench's output. */
import type { Row } from './run-script.ts';

const ms = (v: unknown) => (typeof v === 'number' ? `${Math.round(v)} ms` : '');
const kib = (v: unknown) => (typeof v === 'number' ? `${(v / 1024).toFixed(0)} KiB` : '');

export function dashboardTable(rows: readonly Row[]): string[] {
  const out = [
    'Dashboard on the demo (`taskmill serve --demo`, Chromium headless, 1280×800), median of runs:',
    '',
    '| runs | first paint, cold | data shown, cold (max) | first paint, warm | data shown, warm | first visit downloads | bundle raw / gzip / brotli |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    out.push(
      `| ${r['runs']} | ${ms(r['coldFcpMs'])} | ${ms(r['coldDataMs'])} (${ms(r['coldDataMaxMs'])}) | ${ms(r['warmFcpMs'])} | ${ms(r['warmDataMs'])} | ${kib(r['firstVisitBytes'])} | ${kib(r['bundleRawBytes'])} / ${kib(r['bundleGzipBytes'])} / ${kib(r['bundleBrotliBytes'])} |`,
    );
  }
  return out;
}
