import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  INITIAL_STATUSES,
  STATUSES,
  TERMINAL_STATUSES,
  TRANSITIONS,
} from '../../src/core/status.ts';
import { useMills } from '../helpers/mill.ts';

const DOC = 'docs/reference/state-machine.md';
const doc = readFileSync(new URL(`../../${DOC}`, import.meta.url), 'utf8');

function mermaidBlock(): string {
  const match = /```mermaid\n([\s\S]*?)```/.exec(doc);
  if (!match?.[1]) throw new Error(`${DOC} has no \`\`\`mermaid block`);
  return match[1];
}

/** `a --> b` and `a --> b: label` lines of the diagram, as "a->b" ([*] kept as is). */
function diagramEdges(): string[] {
  return mermaidBlock()
    .split('\n')
    .map((line) => /^\s*(\[\*\]|\w+)\s*-->\s*(\[\*\]|\w+)\s*(?::.*)?$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]}->${m[2]}`);
}

/** Rows of the "Edges and who makes them" table, as "a->b". */
function tableEdges(): string[] {
  return doc
    .split('\n')
    .map((line) => /^\|\s*`(\w+)`\s*\|\s*`(\w+)`\s*\|/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]}->${m[2]}`);
}

const tableTransitions = STATUSES.flatMap((from) =>
  TRANSITIONS[from].map((to) => `${from}->${to}`),
);

/** What the doc lacks and what it adds, so a failure names the edge instead of a long diff. */
function difference(doc: readonly string[], table: readonly string[]) {
  return {
    missingFromDoc: table.filter((e) => !doc.includes(e)),
    notInTable: doc.filter((e) => !table.includes(e)),
  };
}
const NONE = { missingFromDoc: [], notInTable: [] };

describe(DOC, () => {
  const edges = diagramEdges();

  it('is a mermaid stateDiagram-v2', () => {
    expect(mermaidBlock().trimStart().startsWith('stateDiagram-v2')).toBe(true);
  });

  it('draws each edge once', () => {
    expect(edges.filter((e, i) => edges.indexOf(e) !== i)).toEqual([]);
  });

  it('draws exactly the transitions of the table in src/core/status.ts', () => {
    const drawn = edges.filter((e) => !e.includes('[*]'));
    expect(difference(drawn, tableTransitions)).toEqual(NONE);
  });

  it('starts tasks in exactly the initial statuses', () => {
    const starts = edges.filter((e) => e.startsWith('[*]->')).map((e) => e.slice(5));
    expect(difference(starts, INITIAL_STATUSES)).toEqual(NONE);
  });

  it('ends exactly the terminal statuses', () => {
    const ends = edges.filter((e) => e.endsWith('->[*]')).map((e) => e.slice(0, -5));
    expect(difference(ends, TERMINAL_STATUSES)).toEqual(NONE);
  });

  it('explains every edge of the table in the edge table, once', () => {
    const explained = tableEdges();
    expect(explained.filter((e, i) => explained.indexOf(e) !== i)).toEqual([]);
    expect(difference(explained, tableTransitions)).toEqual(NONE);
  });

  it('explains every status', () => {
    const missing = STATUSES.filter(
      (status) => !new RegExp(`^\\|\\s*\`${status}\`\\s*\\|\\s*[^\`|]`, 'm').test(doc),
    );
    expect(missing).toEqual([]);
  });
});

describe(`${DOC}: paused`, () => {
  const open = useMills();

  it('documents paused as reached by pause, which the library offers with resume', async () => {
    const row = doc.split('\n').find((line) => line.startsWith('| `paused` |'));
    expect(row).toMatch(/pause\(id\)/);
    expect(row).not.toMatch(/Not reachable yet/i);
    const mill = await open([]);
    expect(typeof mill.pause).toBe('function');
    expect(typeof mill.resume).toBe('function');
  });
});
