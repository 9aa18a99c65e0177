import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanImports } from './helpers/imports.ts';

/**
 * The dashboard speaks to the server as any program would: through the typed client
 * (src/client), never the server's, the mill's or a store's code, and it runs in a browser, so
 * no Node built-in either. Its packages are the few it was built with.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const APP = join(ROOT, 'dashboard', 'src');
const CLIENT = join(ROOT, 'src', 'client');
const PACKAGES = new Set(['react', 'react-dom', 'wouter', 'uplot', '@dagrejs/dagre']);
const MAX_LINES = 400;

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
}

/** What is wrong with the imports of one file (its path, its text), as readable lines. */
function dashboardViolations(file: string, source: string): string[] {
  const out: string[] = [];
  for (const { specifier, line } of scanImports(source)) {
    const at = `${relative(ROOT, file)}:${line} imports '${specifier}'`;
    if (specifier.startsWith('.')) {
      const target = resolve(dirname(file), specifier);
      const inApp = target.startsWith(`${APP}/`);
      const inClient = target.startsWith(`${CLIENT}/`);
      if (!inApp && !inClient) out.push(`${at}: the dashboard may import only the client`);
    } else if (!PACKAGES.has(packageName(specifier))) {
      out.push(`${at}: not one of the dashboard's packages (${[...PACKAGES].join(', ')})`);
    }
  }
  const lines = source.split('\n').length - 1;
  if (lines > MAX_LINES) out.push(`${relative(ROOT, file)}: ${lines} lines (budget ${MAX_LINES})`);
  return out;
}

function appFiles(): string[] {
  return readdirSync(APP, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

describe('the dashboard', () => {
  it('imports only its own files, the client and its packages, and keeps files short', () => {
    const files = appFiles();
    expect(files.length).toBeGreaterThan(20);
    const violations = files.flatMap((f) => dashboardViolations(f, readFileSync(f, 'utf8')));
    expect(violations).toEqual([]);
  });

  it('is caught importing the server, the mill, core directly, a built-in or another package', () => {
    const file = join(APP, 'pages', 'x.tsx');
    const source = [
      "import { buildApp } from '../../../src/server/app.ts';",
      "import type { Taskmill } from '../../../src/mill/types.ts';",
      "import { z } from '../../../src/core/define-task.ts';",
      "import { readFileSync } from 'node:fs';",
      "import lodash from 'lodash';",
      "import { useApi } from '../api.tsx';",
      "import type { RemoteTask } from '../../../src/client/types.ts';",
      "import uPlot from 'uplot';",
      "import 'uplot/dist/uPlot.min.css';",
    ].join('\n');
    expect(dashboardViolations(file, source)).toEqual([
      "dashboard/src/pages/x.tsx:1 imports '../../../src/server/app.ts': the dashboard may import only the client",
      "dashboard/src/pages/x.tsx:2 imports '../../../src/mill/types.ts': the dashboard may import only the client",
      "dashboard/src/pages/x.tsx:3 imports '../../../src/core/define-task.ts': the dashboard may import only the client",
      "dashboard/src/pages/x.tsx:4 imports 'node:fs': not one of the dashboard's packages (react, react-dom, wouter, uplot, @dagrejs/dagre)",
      "dashboard/src/pages/x.tsx:5 imports 'lodash': not one of the dashboard's packages (react, react-dom, wouter, uplot, @dagrejs/dagre)",
    ]);
  });
});
