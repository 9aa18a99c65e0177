import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from '../scripts/build.ts';

/**
 * Compile the product and the scenarios into `buildDir`. (bench/tsconfig.json reads Node's types
 * from the product's install: the anchors bring a newer @types/node into bench/node_modules,
 * under which src/ does not compile.)
 */
export function buildBench(benchDir: string, buildDir: string, withAnchors: boolean): void {
  // A project of its own that writes to `buildDir`: several runs at once (each in a folder of
  // its own) must not compile over each other's scripts. Without the anchors installed (a run
  // that does not want them), their scenarios cannot be type-checked: it leaves those out.
  const tmp = mkdtempSync(join(tmpdir(), 'taskmill-bench-build-'));
  const project = join(tmp, 'tsconfig.json');
  writeFileSync(
    project,
    JSON.stringify({
      extends: join(benchDir, 'tsconfig.json'),
      // Type packages are looked up from the project file's folder, which is not the repository.
      compilerOptions: {
        outDir: buildDir,
        typeRoots: [join(benchDir, '..', 'node_modules', '@types')],
      },
      ...(withAnchors
        ? {}
        : {
            include: [join(benchDir, '..', 'src'), join(benchDir, 'scenarios')],
            exclude: [
              join(benchDir, '..', 'src', 'store', 'conformance'),
              join(benchDir, 'scenarios', 'compare.ts'),
              join(benchDir, 'scenarios', 'subjects.ts'),
              join(benchDir, 'scenarios', 'subjects'),
            ],
          }),
    }),
  );
  try {
    build(project, `${buildDir}/`, join(buildDir, 'src'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
