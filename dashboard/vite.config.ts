/**
 * The dashboard's build: one HTML page, and its scripts (a chunk per page of the app) and
 * stylesheets as hashed files under assets/, so the server can cache them for good and its
 * Content-Security-Policy needs no inline code.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig(({ command }) => ({
  mode: command === 'build' ? 'production' : 'development',
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Every asset a file of its own: the CSP allows images from 'self' and data: only for the
    // favicon stand-in.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 400,
    reportCompressedSize: true,
  },
}));
