// What `import 'taskmill'` loads inside this repository (the `taskmill-source` condition that
// .npmrc, tsconfig.json and the vitest configs set): the TypeScript sources, which Node strips
// here. The package never points at a .ts file: it ships dist/, and this file is not in it.
export * from './index.ts';
