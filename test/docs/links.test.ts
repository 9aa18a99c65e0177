/**
 * The docs hold together: every relative link in README.md and docs/ reaches a file, and every
 * `#anchor` a heading of that file; every doc path that code, tests, scripts, examples or
 * benchmarks name exists; the index (docs/README.md) lists every page. CHANGELOG.md is left out:
 * its lines are history and keep the paths of their day.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { githubSlug, headingAnchors, markdownLinks } from '../helpers/markdown.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INDEX = 'docs/README.md';

/** Files under `dir` (relative to the root), skipping installed and generated folders. */
function filesUnder(dir: string): string[] {
  const skip = new Set(['node_modules', 'results', '.build', 'dist', 'coverage']);
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
      const child = path.posix.join(rel, entry.name);
      if (entry.isDirectory()) {
        if (!skip.has(entry.name)) walk(child);
      } else out.push(child);
    }
  };
  if (existsSync(path.join(ROOT, dir))) walk(dir);
  return out.sort();
}

const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');
const DOC_PAGES = filesUnder('docs').filter((f) => f.endsWith('.md'));
const MARKDOWN = ['README.md', ...DOC_PAGES];

/** What is wrong with the page's relative links: `line N: target (why)`, empty when nothing. */
function brokenLinks(page: string): string[] {
  const broken: string[] = [];
  for (const { line, target } of markdownLinks(read(page))) {
    // Other sites (https:, mailto:) are not ours to check.
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue;
    const hash = target.indexOf('#');
    const file = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
    const anchor = hash === -1 ? null : decodeURIComponent(target.slice(hash + 1));
    const resolved = file.startsWith('/')
      ? path.posix.normalize(file.slice(1))
      : file === ''
        ? page
        : path.posix.join(path.posix.dirname(page), file);
    const why = (text: string) => broken.push(`line ${line}: ${target} (${text})`);
    if (resolved.startsWith('..')) why('leaves the repository');
    else if (!existsSync(path.join(ROOT, resolved))) why(`no file ${resolved}`);
    else if (anchor !== null) {
      if (!resolved.endsWith('.md') || statSync(path.join(ROOT, resolved)).isDirectory()) {
        why(`an anchor into ${resolved}, which is not a Markdown page`);
      } else if (!headingAnchors(read(resolved)).has(anchor)) {
        why(`no heading of ${resolved} has the anchor #${anchor}`);
      }
    }
  }
  return broken;
}

describe('githubSlug', () => {
  it.each([
    ['Talking to a server (`--server`)', 'talking-to-a-server---server'],
    ['HTTP API (issue #6)', 'http-api-issue-6'],
    ["Where a task's record lives", 'where-a-tasks-record-lives'],
    ['`createTaskmill({ database, tasks })`', 'createtaskmill-database-tasks-'],
    ['Pools and [their options](x.md)', 'pools-and-their-options'],
    ['Tâches à_faire', 'tâches-à_faire'],
  ])('%s → #%s', (heading, slug) => {
    expect(githubSlug(heading)).toBe(slug);
  });

  it('numbers a repeated heading as GitHub does', () => {
    const anchors = headingAnchors('# Results\n\n```sh\n# not a heading\n```\n## Results\n');
    expect([...anchors]).toEqual(['results', 'results-1']);
  });
});

describe('links in README.md and docs/', () => {
  it('finds the pages', () => {
    expect(DOC_PAGES).toContain(INDEX);
    expect(DOC_PAGES.length).toBeGreaterThan(10);
  });

  it.each(MARKDOWN)('%s: each relative link reaches a file, each #anchor a heading', (page) => {
    expect(brokenLinks(page)).toEqual([]);
  });

  it(`${INDEX} links every page of docs/`, () => {
    const linked = new Set(
      markdownLinks(read(INDEX))
        .map(({ target }) => target.split('#')[0] ?? '')
        .map((file) => path.posix.join('docs', file)),
    );
    expect(DOC_PAGES.filter((p) => p !== INDEX && !linked.has(p))).toEqual([]);
  });
});

describe('doc paths named outside the docs', () => {
  const named = [
    ...['src', 'test', 'scripts', 'examples', 'bench'].flatMap(filesUnder),
    'README.md',
    'package.json',
  ].flatMap((file) =>
    [...read(file).matchAll(/(?<![\w-])docs\/[\w./-]+?\.md\b/g)].map((m) => ({
      file,
      doc: m[0],
    })),
  );

  it('finds some', () => {
    expect(named.length).toBeGreaterThan(10);
  });

  it('names only docs that exist', () => {
    const missing = named
      .filter(({ doc }) => !existsSync(path.join(ROOT, doc)))
      .map(({ file, doc }) => `${file}: ${doc}`);
    expect(missing).toEqual([]);
  });
});
