/**
 * The oldest Node.js that taskmill is tested on, and a test keeps equal to `engines` in
 * package.json. Older ones fall short on `node:sqlite`: before 24.7 (22.x before its backport) it
 * binds `?1`-style parameters by name and every statement fails; before 24.15 it prints an
 * ExperimentalWarning on stderr, which breaks the CLI's one-line errors. This module imports
 * nothing, so that an older Node can load it and say so in one line instead of failing on a
 * module it does not have.
 */
export const MIN_NODE = '24.15';

function parts(version: string): [number, number] {
  const [major = '0', minor = '0'] = version.replace(/^v/, '').split('.');
  return [Number(major), Number(minor)];
}

/** One line saying why `version` cannot run taskmill, or undefined when it can. */
export function nodeRefusal(version: string, execPath: string): string | undefined {
  const [major, minor] = parts(version);
  const [minMajor, minMinor] = parts(MIN_NODE);
  if (major > minMajor || (major === minMajor && minor >= minMinor)) return undefined;
  return `taskmill needs Node.js ${MIN_NODE} or newer; this is ${version} (${execPath}).`;
}
