import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isBuiltin, packageOf, scanImports } from './helpers/imports.ts';

/**
 * Dependencies point down: a layer imports only its own layer and those below it. Layers at the
 * same rank (worker, scheduler, pipeline) may use each other; the cycle check keeps that honest.
 * Every folder under src/ must have a rank here (a test says so), so a new folder is placed in
 * the stack before its first import is checked.
 */
const LAYER_RANK: Record<string, number> = {
  core: 0,
  store: 1,
  worker: 2,
  // Reserved for cron schedules and DAG pipelines: they build tasks (core) and reach the
  // database through the Store contract; the library API (mill) hosts and exposes them.
  scheduler: 2,
  pipeline: 2,
  mill: 3,
  // The server serves the library over HTTP; the CLI starts servers and talks to them.
  server: 4,
  client: 4,
  cli: 5,
  // src/index.ts, the public API: the top, which nothing inside src may import.
  index: 6,
};

/** Layers that may import no other layer but these, whatever their rank: the client runs in
 * browsers (the dashboard) and in remote workers, so it speaks HTTP and knows only the domain. */
const ONLY_IMPORTS: Record<string, readonly string[]> = { client: ['core'] };

/** Layers that run in browsers as well as in Node: no node built-in, not even a type from one.
 * (test/client/browser-safe.test.ts follows what the client loads into other layers.) */
const BROWSER_LAYERS = new Set(['client']);

/** Packages the pure domain may use: libraries that compute and do no I/O. */
const CORE_PACKAGES = new Set(['zod', 'uuid', 'croner']);

/** Modules that reach disks, sockets, processes or the host: none belongs in the pure domain. */
const IO_MODULES = new Set([
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'http2',
  'child_process',
  'sqlite',
  'dgram',
  'dns',
  'dns/promises',
  'tls',
  'cluster',
  'worker_threads',
  'readline',
  'readline/promises',
  'repl',
  'inspector',
  'inspector/promises',
  'os',
  'tty',
  'v8',
  'vm',
  'wasi',
]);

const MAX_LINES = 400;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

interface Import {
  specifier: string;
  line: number;
}

/** Every module specifier a file names: static and type imports, re-exports, bare and dynamic. */
function parseImports(source: string): Import[] {
  return scanImports(source).map(({ specifier, line }) => ({ specifier, line }));
}

function sourceFiles(): string[] {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(SRC, f))
    .sort();
}

const ENTRY_FILES = ['index.ts', 'source-entry.d.ts'];

function layerOf(file: string): string | undefined {
  const rel = relative(SRC, file).split(/[\\/]/);
  // The public entry, and the types of the repository's own entry to it (src/source-entry.js).
  if (rel.length === 1) return ENTRY_FILES.includes(rel[0] ?? '') ? 'index' : undefined;
  return rel[0] !== undefined && rel[0] in LAYER_RANK ? rel[0] : undefined;
}

function show(file: string): string {
  return relative(ROOT, file).split('\\').join('/');
}

interface Graph {
  files: string[];
  imports: Map<string, Import[]>;
  lines: Map<string, number>;
}

/** A graph from sources keyed by their path under src/. */
function graphOf(sources: Record<string, string>): Graph {
  const files = Object.keys(sources)
    .map((f) => join(SRC, f))
    .sort();
  const imports = new Map<string, Import[]>();
  const lines = new Map<string, number>();
  for (const [path, source] of Object.entries(sources)) {
    imports.set(join(SRC, path), parseImports(source));
    lines.set(join(SRC, path), source.replace(/\n$/, '').split('\n').length);
  }
  return { files, imports, lines };
}

function loadGraph(): Graph {
  const sources: Record<string, string> = {};
  for (const file of sourceFiles()) sources[relative(SRC, file)] = readFileSync(file, 'utf8');
  return graphOf(sources);
}

function longFiles(graph: Graph): string[] {
  return graph.files
    .filter((f) => (graph.lines.get(f) ?? 0) > MAX_LINES)
    .map(
      (f) => `${show(f)}: ${graph.lines.get(f)} lines (budget ${MAX_LINES}); split it by purpose`,
    );
}

function resolveLocal(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) return resolve(dirname(file), specifier);
  // A package importing itself by name goes through the public API, the top of the stack.
  if (specifier === 'taskmill' || specifier.startsWith('taskmill/')) return join(SRC, 'index.ts');
  return undefined;
}

function layerViolations(graph: Graph): string[] {
  const out: string[] = [];
  for (const file of graph.files) {
    const layer = layerOf(file);
    if (layer === undefined) {
      out.push(
        `${show(file)}: not in a known layer (${Object.keys(LAYER_RANK).join(', ')}); add its folder to LAYER_RANK in test/architecture.test.ts`,
      );
      continue;
    }
    for (const { specifier, line } of graph.imports.get(file) ?? []) {
      const where = `${show(file)}:${line} imports '${specifier}'`;
      const target = resolveLocal(file, specifier);
      if (target === undefined) {
        if (BROWSER_LAYERS.has(layer) && isBuiltin(specifier)) {
          out.push(`${where}: ${layer} runs in browsers too and may not import node built-ins`);
          continue;
        }
        if (layer !== 'core') continue;
        const name = specifier.replace(/^node:/, '');
        if (isBuiltin(specifier) && IO_MODULES.has(name)) {
          out.push(`${where}: core is pure domain and may not do I/O (${specifier})`);
        } else if (!isBuiltin(specifier) && !CORE_PACKAGES.has(packageOf(specifier))) {
          out.push(
            `${where}: core may import only node built-ins and ${[...CORE_PACKAGES].join(', ')}`,
          );
        }
        continue;
      }
      if (!target.startsWith(SRC)) {
        out.push(`${where}: reaches outside src/ (${show(target)})`);
        continue;
      }
      const targetLayer = layerOf(target);
      if (targetLayer === undefined) continue;
      const only = ONLY_IMPORTS[layer];
      if (only !== undefined && targetLayer !== layer && !only.includes(targetLayer)) {
        out.push(`${where}: ${layer} may import only ${only.join(', ')}`);
      } else if ((LAYER_RANK[targetLayer] ?? 0) > (LAYER_RANK[layer] ?? 0)) {
        out.push(
          `${where}: ${layer} may not import ${targetLayer} (dependencies point down: core < store < worker/scheduler/pipeline < mill < server/client < cli < index)`,
        );
      }
    }
  }
  return out;
}

/** Each cycle once, as a chain of files starting and ending at the same one. */
function findCycles(graph: Graph): string[][] {
  const edges = new Map<string, string[]>();
  for (const file of graph.files) {
    const targets = (graph.imports.get(file) ?? [])
      .map((i) => resolveLocal(file, i.specifier))
      .filter((t): t is string => t !== undefined && graph.imports.has(t));
    edges.set(file, [...new Set(targets)]);
  }
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles = new Map<string, string[]>();
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      const seen = state.get(next);
      if (seen === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        // Rotate to start at the smallest path, so one cycle found from two ends reads the same.
        const start = cycle.indexOf([...cycle].sort()[0] ?? '');
        const canonical = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(canonical.join('|'), [...canonical, canonical[0] ?? '']);
      } else if (seen === undefined) {
        visit(next);
      }
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.files) if (!state.has(file)) visit(file);
  return [...cycles.values()];
}

describe('architecture', () => {
  const graph = loadGraph();

  it('finds the sources and their imports', () => {
    const status = join(SRC, 'core', 'status.ts');
    expect(graph.files).toContain(status);
    expect(graph.imports.get(status)?.map((i) => i.specifier)).toContain('./errors.ts');
  });

  it('has no upward imports between layers, core imports only built-ins and pure packages, the client no built-ins', () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it('gives every folder under src/ a layer', () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    const unplaced = folders.filter((name) => !(name in LAYER_RANK));
    expect(unplaced, 'folders under src/ missing from LAYER_RANK').toEqual([]);
  });

  it('has no import cycles between files', () => {
    const cycles = findCycles(graph).map((c) => `cycle: ${c.map(show).join(' → ')}`);
    expect(cycles).toEqual([]);
  });

  it(`keeps every source file within ${MAX_LINES} lines`, () => {
    expect(longFiles(graph)).toEqual([]);
  });
});

describe('the checks catch what they are for', () => {
  it('an upward import, naming the file, line and import', () => {
    const graph = graphOf({
      'store/sqlite/store.ts': "import { x } from '../../worker/claim-loop.ts';",
      'worker/claim-loop.ts':
        "import { y } from '../mill/mill.ts';\nimport { z } from '../store/contract.ts';",
      'mill/mill.ts': "import { w } from '../index.ts';",
      'cli/main.ts': "import { m } from '../mill/mill.ts';\nimport { s } from '../server/app.ts';",
      'server/app.ts': '',
      'store/contract.ts': '',
      'index.ts': "export * from './cli/main.ts';",
    });
    expect(layerViolations(graph)).toEqual([
      expect.stringMatching(
        /^src\/mill\/mill\.ts:1 imports '\.\.\/index\.ts': mill may not import index/,
      ),
      expect.stringMatching(
        /^src\/store\/sqlite\/store\.ts:1 imports '\.\.\/\.\.\/worker\/claim-loop\.ts': store may not import worker/,
      ),
      expect.stringMatching(
        /^src\/worker\/claim-loop\.ts:1 imports '\.\.\/mill\/mill\.ts': worker may not import mill/,
      ),
    ]);
  });

  it('the server importing the CLI, and the client importing anything but core', () => {
    const graph = graphOf({
      'server/app.ts': "import { run } from '../cli/main.ts';",
      'cli/main.ts': "import { app } from '../server/app.ts';\nimport { c } from '../client/c.ts';",
      'client/c.ts': [
        "import { TaskmillError } from '../core/errors.ts';",
        "import type { Taskmill } from '../mill/types.ts';",
        "import type { Store } from '../store/contract.ts';",
      ].join('\n'),
      'core/errors.ts': '',
      'mill/types.ts': '',
      'store/contract.ts': '',
    });
    expect(layerViolations(graph)).toEqual([
      "src/client/c.ts:2 imports '../mill/types.ts': client may import only core",
      "src/client/c.ts:3 imports '../store/contract.ts': client may import only core",
      expect.stringMatching(
        /^src\/server\/app\.ts:1 imports '\.\.\/cli\/main\.ts': server may not import cli/,
      ),
    ]);
  });

  it('the client importing a node built-in, by either name, a type import included', () => {
    const graph = graphOf({
      'client/a.ts': [
        "import { request } from 'node:http';",
        "import type { IncomingMessage } from 'http';",
        "import { createHash } from 'node:crypto';",
        "import { EventSourceParserStream } from 'eventsource-parser/stream';",
        "import { TaskmillError } from '../core/errors.ts';",
      ].join('\n'),
      'core/errors.ts': '',
      'server/b.ts': "import { createServer } from 'node:http';",
    });
    const rule = 'client runs in browsers too and may not import node built-ins';
    expect(layerViolations(graph)).toEqual([
      `src/client/a.ts:1 imports 'node:http': ${rule}`,
      `src/client/a.ts:2 imports 'http': ${rule}`,
      `src/client/a.ts:3 imports 'node:crypto': ${rule}`,
    ]);
  });

  it('core importing I/O or a package other than the pure ones', () => {
    const graph = graphOf({
      'core/a.ts': [
        "import { readFileSync } from 'node:fs';",
        "import { createServer } from 'net';",
        "import { DatabaseSync } from 'node:sqlite';",
        "import { randomUUID } from 'node:crypto';",
        "import { z } from 'zod';",
        "import pino from 'pino';",
        "import { v7 } from 'uuid';",
        "import { x } from '../store/contract.ts';",
      ].join('\n'),
      'store/contract.ts': "import { readFileSync } from 'node:fs';\nimport pg from 'pg';",
    });
    const found = layerViolations(graph);
    expect(found).toHaveLength(5);
    expect(found[0]).toContain("src/core/a.ts:1 imports 'node:fs'");
    expect(found[1]).toContain("src/core/a.ts:2 imports 'net'");
    expect(found[2]).toContain("src/core/a.ts:3 imports 'node:sqlite'");
    expect(found[3]).toContain("src/core/a.ts:6 imports 'pino'");
    expect(found[4]).toContain("src/core/a.ts:8 imports '../store/contract.ts'");
  });

  it('a file outside every known layer', () => {
    expect(layerViolations(graphOf({ 'utils/misc.ts': '' }))).toEqual([
      expect.stringContaining('src/utils/misc.ts: not in a known layer'),
    ]);
  });

  it('an import cycle, type-only imports included', () => {
    const graph = graphOf({
      'worker/a.ts': "import { b } from './b.ts';",
      'worker/b.ts': "import type { C } from './c.ts';",
      'worker/c.ts': "import { a } from './a.ts';",
      'worker/d.ts': "import { a } from './a.ts';",
      'core/self.ts': "export { x } from './self.ts';",
    });
    expect(findCycles(graph).map((c) => c.map(show).join(' → '))).toEqual([
      'src/core/self.ts → src/core/self.ts',
      'src/worker/a.ts → src/worker/b.ts → src/worker/c.ts → src/worker/a.ts',
    ]);
  });

  it('a file over the line budget', () => {
    const graph = graphOf({
      'core/ok.ts': 'x\n'.repeat(MAX_LINES),
      'core/long.ts': 'x\n'.repeat(MAX_LINES + 1),
    });
    expect(longFiles(graph)).toEqual([
      `src/core/long.ts: ${MAX_LINES + 1} lines (budget ${MAX_LINES}); split it by purpose`,
    ]);
  });
});

describe('the import parser', () => {
  it('reads every form of import and export-from, with line numbers', () => {
    const source = [
      "import { a } from './a.ts';",
      "import type { B } from '../b.ts';",
      'import {',
      '  c,',
      '  d,',
      "} from './cd.ts';",
      "export { e } from './e.ts';",
      "export * from './f.ts';",
      'export type { G } from "./g.ts";',
      "import './side-effect.ts';",
      "const h = await import('./h.ts');",
      "import * as fs from 'node:fs';",
    ].join('\n');
    expect(parseImports(source)).toEqual([
      { specifier: './a.ts', line: 1 },
      { specifier: '../b.ts', line: 2 },
      { specifier: './cd.ts', line: 6 },
      { specifier: './e.ts', line: 7 },
      { specifier: './f.ts', line: 8 },
      { specifier: './g.ts', line: 9 },
      { specifier: './side-effect.ts', line: 10 },
      { specifier: './h.ts', line: 11 },
      { specifier: 'node:fs', line: 12 },
    ]);
  });

  it('ignores imports shown in comments and strings that only look like them', () => {
    const source = [
      '/**',
      " * import { x } from './in-block-comment.ts';",
      ' */',
      "// import { y } from './in-line-comment.ts';",
      "const url = 'postgres://host/db'; // from './not-an-import.ts'",
      "const from = 'x';",
    ].join('\n');
    expect(parseImports(source)).toEqual([]);
  });
});
