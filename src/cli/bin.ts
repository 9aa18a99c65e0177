#!/usr/bin/env node
/**
 * The installed `taskmill` command. The CLI it loads needs `node:sqlite` and more of a recent
 * Node, and an older one fails to load it with a stack trace; so this file checks the version
 * first and imports the CLI only afterwards.
 */
import { nodeRefusal } from '../core/node-version.ts';

const refusal = nodeRefusal(process.versions.node, process.execPath);
if (refusal === undefined) {
  await import('./main.ts');
} else {
  process.stderr.write(`${refusal}\n`);
  process.exitCode = 1;
}
