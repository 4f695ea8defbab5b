import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The API (services/api, Quarkus) listens on 127.0.0.1:8080 when started by `./rankops up`.
const apiTarget = 'http://127.0.0.1:8080';
// The API refuses state changes whose Origin is not its own (cross-site request forgery protection,
// services/api security/RequestGuard); through the proxy the pages are the API's, so say so.
const proxied = { target: apiTarget, changeOrigin: true, headers: { origin: apiTarget } };

export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': proxied,
      '/q': proxied,
    },
  },
  // `npm run preview` serves the built UI with the same proxy (the e2e tests can run against it).
  preview: {
    host: '127.0.0.1',
    proxy: {
      '/api': proxied,
      '/q': proxied,
    },
  },
  build: {
    // Quarkus serves static files from META-INF/resources (git-ignored build output).
    outDir: '../services/api/src/main/resources/META-INF/resources',
    emptyOutDir: true,
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
