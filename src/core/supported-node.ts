/**
 * Imported first by the public API (src/index.ts), so that on an older Node the library fails at
 * import with one message naming the version it needs, rather than later, at the first SQLite
 * store, with `No such built-in module: node:sqlite`.
 */
import { nodeRefusal } from './node-version.ts';

const refusal = nodeRefusal(process.versions.node, process.execPath);
if (refusal !== undefined) throw new Error(refusal);
