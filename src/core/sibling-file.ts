/**
 * A file that ships next to the calling module, named without its extension, for code that Node
 * loads by path (worker threads, child processes, the demo tasks). Inside the repository Node runs
 * the TypeScript sources; the installed package holds only the compiled JavaScript in `dist/`, so
 * the extension follows the caller's own.
 */
export function siblingFile(relative: string, base: string): URL {
  return new URL(`${relative}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}
