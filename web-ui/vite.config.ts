import { loadEnv } from 'vite';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig(({ mode }) => {
  // The API (services/api, Quarkus) where `./rankops up` starts it: RANKOPS_HOST and RANKOPS_API_PORT
  // (infra/local/rankops.env, overridable from the environment, which loadEnv reads for the RANKOPS_
  // prefix), 127.0.0.1:8080 by default.
  const env = loadEnv(mode, '.', 'RANKOPS_');
  const apiTarget = `http://${env.RANKOPS_HOST || '127.0.0.1'}:${env.RANKOPS_API_PORT || '8080'}`;
  // The API refuses state changes whose Origin is not its own (cross-site request forgery protection,
  // services/api security/RequestGuard); through the proxy the pages are the API's, so say so.
  const proxied = { target: apiTarget, changeOrigin: true, headers: { origin: apiTarget } };
  const proxy = { '/api': proxied, '/q': proxied };

  return {
    plugins: [react()],
    server: { host: '127.0.0.1', proxy },
    // `npm run preview` serves the built UI with the same proxy (the e2e tests can run against it).
    preview: { host: '127.0.0.1', proxy },
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
  };
});
