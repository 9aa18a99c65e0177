/**
 * Compile TypeScript to JavaScript and copy the SQL and migration files both adapters read at run
 * time. `npm run build` (and `npm pack`, through `prepack`) writes `dist/`: the sources under
 * `dist/src/`, the demo tasks `serve --demo` falls back to under `dist/examples/demo/`. That is
 * what the package ships, since Node does not strip types under `node_modules`. The benchmarks
 * build into their own folder so that they measure compiled JavaScript, not type stripping.
 * The dashboard's build (`dashboard/dist/`, scripts/build-dashboard.ts) ships beside `dist/`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDashboard } from './build-dashboard.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function build(project: string, outDir: string, srcOut: string): void {
  rmSync(outDir, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`tsc -p ${project} failed`);
  for (const adapter of ['sqlite', 'postgres', 'mysql']) {
    for (const folder of ['sql', 'migrations']) {
      cpSync(join(ROOT, 'src/store', adapter, folder), join(srcOut, 'store', adapter, folder), {
        recursive: true,
      });
    }
  }
}

if (import.meta.url === `file://${resolve(process.argv[1] ?? '')}`) {
  build('tsconfig.build.json', 'dist', 'dist/src');
  // The package ships the dashboard's build too (`files`: dashboard/dist), served at `/`.
  await buildDashboard();
}
