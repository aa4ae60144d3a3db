// Playwright runs the end-to-end tests in Debian's Chromium (no browser download) against the
// real proxy, which starts the sandbox in-process. `cargo xtask test` builds everything first and
// passes a free port in PROXY_PORT.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.PROXY_PORT || 18080);
const hostPort = Number(process.env.HOST_PORT || port + 1);
/** The webmaster's site, on another origin. */
export const hostOrigin = `http://127.0.0.1:${hostPort}`;

export default defineConfig({
  testDir: './e2e',
  outputDir: './artifacts/test-results',
  workers: 1,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  retries: 0,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: [
    {
      command: './target/debug/emploi-proxy',
      cwd: '..',
      url: `http://127.0.0.1:${port}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { EMPLOI_ADDR: `127.0.0.1:${port}`, EMPLOI_LOG: 'emploi_proxy=warn' },
    },
    {
      command: 'node host-server.mjs',
      url: `${hostOrigin}/healthz`,
      reuseExistingServer: false,
      env: { HOST_PORT: String(hostPort), PROXY_ORIGIN: `http://127.0.0.1:${port}` },
    },
  ],
});
