/**
 * The client runs in browsers: what it loads at run time, followed from every file of
 * src/client/ through whatever it reaches (src/core/ and beyond), imports no node built-in and no
 * package but the few that run anywhere. Type-only imports load nothing and are not followed; the
 * architecture test keeps even those out of src/client/ itself.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isBuiltin, packageOf, scanImports, withoutComments } from '../helpers/imports.ts';

/** Packages that run in browsers and in Node alike. */
const ALLOWED_PACKAGES = new Set(['eventsource-parser', 'zod', 'uuid']);

/** Globals that only Node has. */
const NODE_GLOBALS = /\b(?:Buffer\b|process\.|NodeJS\.|__dirname\b|__filename\b|require\()/;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLIENT = join(ROOT, 'src', 'client');

type Read = (file: string) => string | undefined;

interface Walk {
  /** Every file loaded at run time, each with the chain of files that first reached it. */
  reached: Map<string, string[]>;
  /** What a browser could not load: `file:line imports 'x': why (reached by a → b)`. */
  problems: string[];
  /** The bare packages loaded, by name. */
  packages: Set<string>;
}

function show(file: string): string {
  return relative(ROOT, file).split('\\').join('/');
}

/** A relative specifier as a file that exists: as written, or with `.ts` or `/index.ts`. */
function resolveFile(from: string, specifier: string, read: Read): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.ts`, join(base, 'index.ts')].find((f) => read(f) !== undefined);
}

/** Follows the runtime imports from `roots`, breadth first. */
function walk(roots: readonly string[], read: Read): Walk {
  const reached = new Map<string, string[]>(roots.map((f) => [f, [f]]));
  const problems: string[] = [];
  const packages = new Set<string>();
  const queue = [...roots];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const chain = reached.get(file) ?? [file];
    const by = chain.length > 1 ? ` (reached by ${chain.slice(0, -1).map(show).join(' → ')})` : '';
    for (const { specifier, line, typeOnly } of scanImports(read(file) ?? '')) {
      if (typeOnly) continue;
      const where = `${show(file)}:${line} imports '${specifier}'`;
      if (specifier.startsWith('.')) {
        const target = resolveFile(file, specifier, read);
        if (target === undefined) problems.push(`${where}: no such file${by}`);
        else if (!reached.has(target)) {
          reached.set(target, [...chain, target]);
          queue.push(target);
        }
      } else if (isBuiltin(specifier)) {
        problems.push(`${where}: a node built-in, which browsers lack${by}`);
      } else if (!ALLOWED_PACKAGES.has(packageOf(specifier))) {
        problems.push(
          `${where}: only ${[...ALLOWED_PACKAGES].join(', ')} are known to run in browsers${by}`,
        );
      } else packages.add(packageOf(specifier));
    }
  }
  return { reached, problems, packages };
}

/** Uses of Node's own globals in the code (comments aside) of `files`. */
function nodeGlobals(files: readonly string[], read: Read): string[] {
  return files.flatMap((file) =>
    withoutComments(read(file) ?? '')
      .split('\n')
      .flatMap((text, i) => {
        const found = NODE_GLOBALS.exec(text);
        return found ? [`${show(file)}:${i + 1} uses ${found[0]}, which only Node has`] : [];
      }),
  );
}

const readDisk: Read = (file) =>
  existsSync(file) && file.endsWith('.ts') ? readFileSync(file, 'utf8') : undefined;

function clientFiles(): string[] {
  return readdirSync(CLIENT)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(CLIENT, f))
    .sort();
}

describe('the client in a browser', () => {
  const roots = clientFiles();
  const found = walk(roots, readDisk);

  it('loads no node built-in and no package but those that run anywhere', () => {
    expect(found.problems).toEqual([]);
  });

  it('uses none of the globals only Node has', () => {
    expect(nodeGlobals(roots, readDisk)).toEqual([]);
  });

  it('is followed into core and into its packages', () => {
    expect(roots.map(show)).toContain('src/client/client.ts');
    const reached = [...found.reached.keys()].map(show);
    expect(reached).toEqual(expect.arrayContaining(['src/core/errors.ts', 'src/core/events.ts']));
    // Imported by type only, and so not loaded: the task definitions reach node:path.
    expect(reached).not.toContain('src/core/define-task.ts');
    expect([...found.packages]).toContain('eventsource-parser');
  });
});

describe('the walk catches what it is for', () => {
  const at = (path: string) => join(ROOT, 'src', path);
  const files: Record<string, string> = {
    'client/a.ts': [
      "import type { Def } from '../core/define-task.ts';",
      "import { TaskmillError } from '../core/errors.ts';",
      "export { x } from './b.ts';",
      "import { createParser } from 'eventsource-parser';",
      "type Fs = typeof import('node:fs');",
      "export type { Stats } from 'node:fs';",
    ].join('\n'),
    'client/b.ts': "import pino from 'pino';\nconst x = Buffer.from('');",
    'core/errors.ts': "import { join } from 'node:path';\nimport { z } from 'zod';",
    'core/define-task.ts': "import { isAbsolute } from 'node:path';",
  };
  const read: Read = (file) => files[relative(join(ROOT, 'src'), file).split('\\').join('/')];

  it('a built-in or an unknown package, however far away, naming the file, line and chain', () => {
    const { problems, packages } = walk([at('client/a.ts'), at('client/b.ts')], read);
    expect(problems).toEqual([
      "src/client/b.ts:1 imports 'pino': only eventsource-parser, zod, uuid are known to run in browsers",
      "src/core/errors.ts:1 imports 'node:path': a node built-in, which browsers lack (reached by src/client/a.ts)",
    ]);
    expect([...packages].sort()).toEqual(['eventsource-parser', 'zod']);
  });

  it("a global of Node's", () => {
    expect(nodeGlobals([at('client/a.ts'), at('client/b.ts')], read)).toEqual([
      'src/client/b.ts:2 uses Buffer, which only Node has',
    ]);
  });

  it('an import of a file that is not there', () => {
    const missing = walk([at('client/c.ts')], (f) =>
      f.endsWith('c.ts') ? "import { y } from './gone.ts';" : undefined,
    );
    expect(missing.problems).toEqual(["src/client/c.ts:1 imports './gone.ts': no such file"]);
  });
});
