/**
 * Attempts that ended per hour over the last day (completed and failed, on the left axis) and
 * the share that failed (on the right axis), drawn by uPlot on a canvas. The chart is created
 * once and then only given new data or a new width, so live updates and resizes never rebuild
 * it; its height is fixed so nothing below it moves as it appears.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Client } from '../api.tsx';
import { count, percent } from '../format.ts';
import './throughput-chart.css';

/** One hour of stats().hourly (the client does not name the type). */
type StatsHour = Awaited<ReturnType<Client['stats']>>['hourly'][number];

/** The canvas and its axes; the readout line below it has a fixed height of its own. */
export const CHART_HEIGHT = 220;

interface Props {
  /** Oldest first, as stats().hourly gives them; undefined while the first answer is on its way. */
  hours: readonly StatsHour[] | undefined;
}

/** A CSS variable of the page's design, so the canvas follows the light or dark palette. */
function cssColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

/** The colour at `alpha` (0..255 as two hex digits) when it is #rrggbb; as it is otherwise. */
function withAlpha(color: string, alpha: string): string {
  return /^#[0-9a-f]{6}$/i.test(color) ? `${color}${alpha}` : color;
}

function failureRate(hour: StatsHour): number | null {
  const ended = hour.completed + hour.failed;
  return ended === 0 ? null : (hour.failed / ended) * 100;
}

function toData(hours: readonly StatsHour[]): uPlot.AlignedData {
  return [
    hours.map((h) => h.hour.getTime() / 1000),
    // An empty hour has no bar rather than a flat one drawn along the axis.
    hours.map((h) => h.completed || null),
    hours.map((h) => h.failed || null),
    hours.map(failureRate),
  ];
}

function hourLabel(hour: Date): string {
  return `${String(hour.getHours()).padStart(2, '0')}:00`;
}

function buildOptions(width: number, onHover: (index: number | null) => void): uPlot.Options {
  const completed = cssColor('--s-completed', '#1e7a34');
  const failed = cssColor('--s-failed', '#c4302b');
  const rate = cssColor('--s-timed_out', '#b2460b');
  const muted = cssColor('--muted', '#5b6470');
  const line = cssColor('--line', '#dde1e6');
  const axis = { stroke: muted, grid: { stroke: line, width: 1 }, ticks: { stroke: line } };
  // Both centred on the hour, failed narrower and over completed: both stay visible whichever
  // is taller.
  const wide = uPlot.paths.bars?.({ size: [0.7, 28] });
  const narrow = uPlot.paths.bars?.({ size: [0.3, 12] });
  return {
    width,
    height: CHART_HEIGHT,
    legend: { show: false },
    cursor: { y: false, points: { show: false } },
    scales: {
      // Half an hour of room at each end, so the first and last hours' bars are not cut.
      x: { time: true, range: (_u, min, max) => [min - 1_800, max + 1_800] },
      count: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] },
      // From 0 always, to the next ten above the worst hour: a 2 % rate does not look like 100 %.
      rate: {
        range: (_u, _min, max) => [0, Math.min(100, Math.max(10, Math.ceil(max / 10) * 10))],
      },
    },
    series: [
      {},
      {
        label: 'Completed',
        scale: 'count',
        stroke: completed,
        fill: withAlpha(completed, '66'),
        width: 1,
        ...(wide ? { paths: wide, points: { show: false } } : {}),
      },
      {
        label: 'Failed',
        scale: 'count',
        stroke: failed,
        fill: withAlpha(failed, '99'),
        width: 1,
        ...(narrow ? { paths: narrow, points: { show: false } } : {}),
      },
      { label: 'Failure rate', scale: 'rate', stroke: rate, width: 2, spanGaps: false },
    ],
    axes: [
      { ...axis, space: 60 },
      { ...axis, scale: 'count', size: 48 },
      {
        ...axis,
        scale: 'rate',
        side: 1,
        size: 48,
        grid: { show: false },
        values: (_u, ticks) => ticks.map((t) => `${t} %`),
      },
    ],
    hooks: {
      setCursor: [(u) => onHover(u.cursor.idx ?? null)],
      draw: [(u) => u.root.setAttribute('data-drawn', 'true')],
    },
  };
}

export function ThroughputChart({ hours }: Props) {
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [hovered, setHovered] = useState<number | null>(null);

  // Created once, at the holder's width; torn down with the component.
  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const empty: uPlot.AlignedData = [[], [], [], []];
    const chart = new uPlot(buildOptions(element.clientWidth || 600, setHovered), empty, element);
    plot.current = chart;
    const resize = new ResizeObserver(() => {
      const width = element.clientWidth;
      if (width > 0 && width !== chart.width) chart.setSize({ width, height: CHART_HEIGHT });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    if (hours) plot.current?.setData(toData(hours));
  }, [hours]);

  const totals = useMemo(() => {
    if (!hours) return null;
    let completed = 0;
    let failed = 0;
    for (const h of hours) {
      completed += h.completed;
      failed += h.failed;
    }
    return { completed, failed };
  }, [hours]);

  const shown = hovered === null || !hours ? undefined : hours[hovered];
  const summary = totals
    ? `Last 24 hours: ${count(totals.completed)} completed, ${count(totals.failed)} failed`
    : 'Loading the last 24 hours';
  return (
    <figure className="throughput" data-testid="throughput-chart">
      <div
        ref={holder}
        className="throughput-canvas"
        role="img"
        aria-label={summary}
        style={{ height: CHART_HEIGHT }}
      />
      <figcaption className="throughput-readout">
        <span className="throughput-key completed">Completed</span>
        <span className="throughput-key failed">Failed</span>
        <span className="throughput-key rate">Failure rate</span>
        <span className="throughput-value" aria-live="off">
          {shown
            ? `${hourLabel(shown.hour)} · ${count(shown.completed)} completed · ${count(shown.failed)} failed · ${
                failureRate(shown) === null ? '—' : percent((failureRate(shown) ?? 0) / 100)
              } failed`
            : summary}
        </span>
      </figcaption>
    </figure>
  );
}
