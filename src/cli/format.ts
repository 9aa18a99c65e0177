/** Text output for people: tables, durations, times. Machine output goes through `--json`. */

export type Align = 'left' | 'right';

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  align?: Align;
}

function pad(text: string, width: number, align: Align): string {
  const gap = ' '.repeat(Math.max(0, width - text.length));
  return align === 'right' ? gap + text : text + gap;
}

/** Columns sized to their widest cell; the last column is not padded so lines carry no tail. */
export function table<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((line) => (line[i] ?? '').length)),
  );
  const render = (line: readonly string[]) =>
    line
      .map((cell, i) => {
        const last = i === line.length - 1;
        const align = columns[i]?.align ?? 'left';
        return last && align === 'left' ? cell : pad(cell, widths[i] ?? 0, align);
      })
      .join('  ');
  return [render(columns.map((c) => c.header)), ...cells.map(render)].join('\n');
}

/** `850ms`, `4.2s`, `3m 05s`, `2h 10m`, `3d 4h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  const abs = Math.abs(ms);
  const sign = ms < 0 ? '-' : '';
  if (abs < 1000) return `${sign}${Math.round(abs)}ms`;
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(1)}s`;
  const seconds = Math.floor(abs / 1000);
  if (seconds < 3600) {
    return `${sign}${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
  }
  if (seconds < 86_400) {
    return `${sign}${Math.floor(seconds / 3600)}h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
  }
  return `${sign}${Math.floor(seconds / 86_400)}d ${Math.floor((seconds % 86_400) / 3600)}h`;
}

/** How long ago, for lists: `12s ago`; a future time (a delayed task) reads `in 5.0s`. */
export function formatAge(at: Date, now: number = Date.now()): string {
  const diff = now - at.getTime();
  return diff >= 0 ? `${formatDuration(diff)} ago` : `in ${formatDuration(-diff)}`;
}

/** Local wall time with milliseconds: logs and history are read side by side with a worker's. */
export function formatTime(at: Date): string {
  const hh = String(at.getHours()).padStart(2, '0');
  const mm = String(at.getMinutes()).padStart(2, '0');
  const ss = String(at.getSeconds()).padStart(2, '0');
  const ms = String(at.getMilliseconds()).padStart(3, '0');
  return `${hh}:${mm}:${ss}.${ms}`;
}

export function formatDateTime(at: Date | null): string {
  if (at === null) return '-';
  return `${at.toISOString().slice(0, 10)} ${formatTime(at)}`;
}

export function formatPercent(value: number | null): string {
  return value === null ? '-' : `${Math.round(value)}%`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** A value for one line of `show`: JSON, cut to `max` characters so one big input stays readable. */
export function formatValue(value: unknown, max = 200): string {
  if (value === null || value === undefined) return '-';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `key  value` lines with the keys aligned. */
export function fields(entries: readonly (readonly [string, string])[]): string {
  const width = Math.max(...entries.map(([key]) => key.length));
  return entries.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join('\n');
}

/** Dates as ISO strings, and nothing that JSON cannot carry. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
