// The types of src/source-entry.js: those of the sources it re-exports.
export * from './index.ts';
