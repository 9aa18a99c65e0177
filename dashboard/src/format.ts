/** How numbers, times and sizes read on every page: one place, so they read alike. */

const number = new Intl.NumberFormat('en');

export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : number.format(n);
}

export function percent(ratio: number | null | undefined, digits = 1): string {
  return ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(digits)} %`;
}

/** 950 ms, 12.3 s, 4 min 10 s, 3 h 5 min, 2 d 4 h. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${Math.round(ms)} ms`;
  if (abs < 60_000) return `${(ms / 1_000).toFixed(abs < 10_000 ? 2 : 1)} s`;
  const s = Math.round(abs / 1_000);
  if (s < 3_600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${Math.floor(s / 3_600)} h ${Math.floor((s % 3_600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3_600)} h`;
}

/** "3 min ago", "in 20 s". */
export function relative(at: Date | null | undefined, now = Date.now()): string {
  if (!at) return '—';
  const delta = at.getTime() - now;
  if (Math.abs(delta) < 1_000) return 'now';
  return delta < 0 ? `${duration(-delta)} ago` : `in ${duration(delta)}`;
}

/** 2026-12-06 23:41:07 in the browser's time zone. */
export function dateTime(at: Date | null | undefined): string {
  if (!at) return '—';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())} ${p(at.getHours())}:${p(at.getMinutes())}:${p(at.getSeconds())}`;
}

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** A value from a task as readable text: never markup (React renders it as text). */
export function json(value: unknown): string {
  if (value === undefined) return '';
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
