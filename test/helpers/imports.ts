/**
 * The module specifiers a TypeScript source names, read with regular expressions: enough for the
 * repository's own code (imports at the start of a line, as Biome formats them), not a parser for
 * any TypeScript. Shared by the architecture test and the client's browser-safety test.
 */
import { builtinModules } from 'node:module';

export interface Import {
  specifier: string;
  line: number;
  /** `import type` / `export type … from` / `typeof import(…)`: gone once types are stripped,
   * so nothing is loaded at run time. (`import { type A }` still loads its module.) */
  typeOnly: boolean;
}

const BUILTINS = new Set(builtinModules);

export function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || BUILTINS.has(specifier);
}

/** `@scope/name` or `name` of a bare specifier such as `eventsource-parser/stream`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** The source with its comments blanked (newlines kept, so line numbers still point at it).
 * Only whole-line `//` comments go, since `//` inside a string ('postgres://…') is none. */
export function withoutComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/^[ \t]*\/\/.*$/gm, '');
}

/** Every module specifier a file names: static and type imports, re-exports, bare and dynamic. */
export function scanImports(source: string): Import[] {
  const code = withoutComments(source);
  const patterns = [
    /^[ \t]*(?:import|export)\b[^;'"]*?\bfrom\s*(['"])([^'"\n]+)\1/gm,
    /^[ \t]*import\s*(['"])([^'"\n]+)\1/gm,
    /\bimport\(\s*(['"])([^'"\n]+)\1\s*\)/g,
  ];
  const found: Import[] = [];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      const specifier = match[2] ?? '';
      const start = match.index ?? 0;
      const offset = start + match[0].lastIndexOf(specifier);
      const typeOnly =
        /^\s*(?:import|export)\s+type\b(?!\s*(?:from\b|,|=))/.test(match[0]) ||
        /\btypeof\s+$/.test(code.slice(Math.max(0, start - 16), start));
      found.push({ specifier, line: code.slice(0, offset).split('\n').length, typeOnly });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}
