import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from '../scripts/build.ts';

/**
 * Compile the product and the scenarios into `buildDir`. Without the anchors installed (a run
 * that does not want them) their scenarios cannot be type-checked, so those two files are left
 * out of the project.
 */
export function buildBench(benchDir: string, buildDir: string, withAnchors: boolean): void {
  if (withAnchors) {
    build(join(benchDir, 'tsconfig.json'), `${buildDir}/`, join(buildDir, 'src'));
  } else {
    // Without the anchors installed (a run that does not want them), their scenarios cannot be
    // type-checked: build everything else, from a project that leaves those two files out.
    const tmp = mkdtempSync(join(tmpdir(), 'taskmill-bench-build-'));
    const project = join(tmp, 'tsconfig.json');
    writeFileSync(
      project,
      JSON.stringify({
        extends: join(benchDir, 'tsconfig.json'),
        // Type packages are looked up from the project file's folder, which is not the repository.
        compilerOptions: { typeRoots: [join(benchDir, '..', 'node_modules', '@types')] },
        include: [join(benchDir, '..', 'src'), join(benchDir, 'scenarios')],
        exclude: [
          join(benchDir, '..', 'src', 'store', 'conformance'),
          join(benchDir, 'scenarios', 'compare.ts'),
          join(benchDir, 'scenarios', 'subjects.ts'),
          join(benchDir, 'scenarios', 'subjects'),
        ],
      }),
    );
    try {
      build(project, `${buildDir}/`, join(buildDir, 'src'));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
}
