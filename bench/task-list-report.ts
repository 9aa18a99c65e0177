/** The table of `--only=task-list`: each list's median time per store (issue 18). */
import type { Row } from './run-script.ts';

const COLUMNS: [string, string][] = [
  ['firstPageMs', 'first page'],
  ['cursorPage2Ms', 'page 2 (cursor)'],
  ['numberedPage1TotalMs', 'page 1 + total'],
  ['numberedPage50TotalMs', 'page 50 + total'],
  ['statusAndTypeMs', 'status + type, no match'],
  ['statusAndTypeMatchMs', 'status + type'],
  ['nameMs', 'name'],
  ['workerMs', 'worker'],
  ['searchInputMs', 'search input'],
  ['searchErrorMs', 'search error'],
  ['searchNoMatchMs', 'search, no match'],
  ['sortPriorityMs', 'sort priority'],
  ['sortFinishedAtMs', 'sort finishedAt'],
  ['queuesMs', 'queues()'],
];

export function taskListTable(rows: readonly Row[]): string[] {
  const out = [
    `Task lists at ${rows[0]?.['tasks'] ?? '?'} tasks, ms (median of 5, through mill.list):`,
    '',
    `| store | ${COLUMNS.map(([, h]) => h).join(' | ')} |`,
    `| --- | ${COLUMNS.map(() => '---:').join(' | ')} |`,
  ];
  for (const r of rows) {
    const store = String(r['scenario']).replace('task lists, ', '');
    out.push(`| ${store} | ${COLUMNS.map(([k]) => r[k] ?? '').join(' | ')} |`);
  }
  return out;
}
