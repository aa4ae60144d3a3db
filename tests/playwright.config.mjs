// Playwright runs the end-to-end tests in Debian's Chromium (no browser download) against the
// real proxy, talking over HTTP to the sandbox process as it would to France Travail, with the
// sandbox's hostile offers on (about one in 40). `cargo xtask test` builds everything first and
// passes free ports in PROXY_PORT, HOST_PORT, SANDBOX_PORT, ADMIN_PORT and WORDPRESS_PORT.
import { randomBytes } from 'node:crypto';
import { defineConfig } from '@playwright/test';

const port = Number(process.env.PROXY_PORT || 18080);
const hostPort = Number(process.env.HOST_PORT || port + 1);
const sandboxPort = Number(process.env.SANDBOX_PORT || port + 2);
const adminPort = Number(process.env.ADMIN_PORT || port + 3);
const wordpressPort = Number(process.env.WORDPRESS_PORT || port + 4);
// One client secret per run, made up here and inherited by the test workers: the security tests
// look for it (and for every token the sandbox issued) in everything the proxy sends and logs.
process.env.E2E_CLIENT_SECRET ||= randomBytes(18).toString('hex');
/** The client secret of this run. */
export const clientSecret = process.env.E2E_CLIENT_SECRET;
/** The proxy's origin. */
export const proxyOrigin = `http://127.0.0.1:${port}`;
/** The proxy's operations listener (metrics, health details), apart from the public one. */
export const adminOrigin = `http://127.0.0.1:${adminPort}`;
/** The webmaster's site, on another origin. */
export const hostOrigin = `http://127.0.0.1:${hostPort}`;
/** The sandbox standing in for France Travail. */
export const sandboxOrigin = `http://127.0.0.1:${sandboxPort}`;
/** A real WordPress with the plugin (`cargo xtask wordpress`), on another origin. */
export const wordpressOrigin = `http://127.0.0.1:${wordpressPort}`;
/** Everything the proxy logs during the run (debug level). */
export const proxyLog = new URL('./artifacts/proxy.log', import.meta.url).pathname;

export default defineConfig({
  testDir: './e2e',
  outputDir: './artifacts/test-results',
  workers: 1,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  retries: 0,
  use: {
    baseURL: proxyOrigin,
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
      command: `./target/debug/emploi-sandbox --addr 127.0.0.1:${sandboxPort} --hostile`
        + ` --client-id PAR_e2e --client-secret ${clientSecret} --rate-limit 60`,
      cwd: '..',
      url: `${sandboxOrigin}/_sandbox/stats`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      // exec: the shell becomes the proxy, so that stopping it stops the proxy.
      command: `mkdir -p tests/artifacts && exec ./target/debug/emploi-proxy > ${proxyLog} 2>&1`,
      cwd: '..',
      url: `${proxyOrigin}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        EMPLOI_ADDR: `127.0.0.1:${port}`,
        EMPLOI_ADMIN_ADDR: `127.0.0.1:${adminPort}`,
        EMPLOI_CONFIG: 'tests/e2e-proxy.toml',
        FT_CLIENT_ID: 'PAR_e2e',
        FT_CLIENT_SECRET: clientSecret,
        FT_TOKEN_URL: `${sandboxOrigin}/connexion/oauth2/access_token?realm=%2Fpartenaire`,
        FT_API_BASE: `${sandboxOrigin}/partenaire/offresdemploi/v2`,
        EMPLOI_LOG: 'debug',
      },
    },
    {
      // Debian's WordPress, a MariaDB and PHP's server, with the plugin pointed at the proxy.
      command: `exec ./target/debug/xtask wordpress http://127.0.0.1:${port} ${wordpressPort}`,
      cwd: '..',
      url: `${wordpressOrigin}/wp-login.php`,
      reuseExistingServer: false,
      timeout: 180_000,
    },
    {
      command: 'node host-server.mjs',
      url: `${hostOrigin}/healthz`,
      reuseExistingServer: false,
      env: { HOST_PORT: String(hostPort), PROXY_ORIGIN: `http://127.0.0.1:${port}` },
    },
  ],
});
