// Reliability and security in the browser: hostile offer content stays inert, the widget keeps
// no state outside the URL and talks to no one but the proxy, and nothing the proxy sends or logs
// carries the client secret or a token.
import { readFile } from 'node:fs/promises';
import { test, expect } from '@playwright/test';
import {
  clientSecret, hostOrigin, proxyLog, proxyOrigin, sandboxOrigin,
} from '../playwright.config.mjs';

/** Every token the sandbox issued so far, with the client secret. */
async function secrets() {
  const tokens = await (await fetch(`${sandboxOrigin}/_sandbox/tokens`)).json();
  return [clientSecret, ...tokens];
}

/** Records every response of the page: URL, headers and body bytes. */
function recordResponses(page) {
  const seen = [];
  page.on('response', async (response) => {
    let body = Buffer.alloc(0);
    try { body = await response.body(); } catch { /* redirects and aborted requests have none */ }
    seen.push({ url: response.url(), headers: JSON.stringify(response.headers()), body });
  });
  return seen;
}

test('hostile offer content is rendered as inert text and does not break the layout', async ({ page }) => {
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await page.goto(`${hostOrigin}/hostile.html`);
  const widget = page.locator('offres-emploi');
  await expect(widget.getByTestId('offer')).toHaveCount(50);
  // Load more pages until hostile offers are on screen (about one offer in 40 is hostile).
  const more = widget.getByRole('button', { name: /Afficher plus/ });
  for (let i = 0; i < 3; i += 1) {
    await more.click();
    await expect(widget.getByTestId('offer')).toHaveCount(50 * (i + 2));
  }
  const texts = await widget.getByTestId('offer').allTextContents();
  const hostile = texts.filter((t) => /<script>|<img |<svg |Aaaaaaaaaaaaaaaaaaaa|\u202E/.test(t));
  expect(hostile.length, 'the page must show hostile offers for this test to mean anything')
    .toBeGreaterThan(0);
  // The markup is shown as text: nothing ran, nothing was injected.
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  const injected = await widget.evaluate((host) => ({
    elements: host.shadowRoot.querySelectorAll('script, img, svg, iframe, object, embed').length,
    handlers: [...host.shadowRoot.querySelectorAll('*')]
      .filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
    links: [...host.shadowRoot.querySelectorAll('a[href]')]
      .map((a) => a.getAttribute('href'))
      .filter((href) => !/^https?:\/\//.test(href)),
  }));
  expect(injected).toEqual({ elements: 0, handlers: 0, links: [] });
  // Long words wrap inside the 420 px column instead of pushing the page sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth
    - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const widest = await widget.evaluate((host) => Math.max(...[...host.shadowRoot
    .querySelectorAll('[data-testid="offer"]')].map((card) => card.getBoundingClientRect().width)));
  expect(widest).toBeLessThanOrEqual(420);
});

test('the widget sets no cookie, keeps no storage and calls nobody but the proxy', async ({ page, context }) => {
  const origins = new Set();
  page.on('request', (request) => origins.add(new URL(request.url()).origin));
  await page.goto(`${hostOrigin}/mairie.html`);
  const widget = page.locator('offres-emploi');
  await expect(widget.getByTestId('offer')).toHaveCount(20);
  await widget.getByRole('button', { name: /Afficher plus/ }).click();
  await expect(widget.getByTestId('offer')).toHaveCount(40);
  expect(await context.cookies()).toEqual([]);
  const storage = await page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    databases: (await indexedDB.databases()).length,
    caches: (await caches.keys()).length,
  }));
  expect(storage).toEqual({ local: 0, session: 0, databases: 0, caches: 0 });
  expect([...origins].sort()).toEqual([hostOrigin, proxyOrigin].sort());
});

test('no response and no log line carries the client secret or a token', async ({ page }) => {
  const seen = recordResponses(page);
  for (const url of [`${hostOrigin}/mairie.html`, `${hostOrigin}/english.html`,
    '/', '/intercommunalite.html', `${hostOrigin}/unknown-key.html`]) {
    await page.goto(url);
    await expect(page.locator('offres-emploi').first()
      .locator('[data-testid="offer"], [role="alert"]:not([hidden])').first()).toBeVisible();
  }
  await page.waitForLoadState('networkidle');
  // Bad requests, errors and the operational endpoints go through the same checks.
  for (const path of ['/api/v1/search?site=demo&rayon=500', '/api/v1/offres/ZZZZZZZ?site=demo',
    '/api/v1/nope', '/metrics', '/readyz', '/api/v1/openapi.json']) {
    const response = await page.request.get(path, { headers: { origin: hostOrigin } });
    seen.push({ url: response.url(), headers: JSON.stringify(response.headers()), body: await response.body() });
  }
  const kinds = new Set(seen.map((r) => new URL(r.url).pathname.split('.').pop()));
  expect(kinds.has('wasm') && kinds.has('js'), 'the widget assets were checked').toBe(true);
  const all = await secrets();
  expect(all.length, 'the proxy fetched at least one token').toBeGreaterThan(1);
  for (const { url, headers, body } of seen) {
    for (const secret of all) {
      expect(headers.includes(secret), `a secret in the headers of ${url}`).toBe(false);
      expect(body.includes(secret), `a secret in the body of ${url}`).toBe(false);
    }
  }
  const log = await readFile(proxyLog, 'utf8');
  expect(log.length, 'the proxy logs at debug level').toBeGreaterThan(1000);
  for (const secret of all) {
    expect(log.includes(secret), 'a secret in the proxy log').toBe(false);
  }
});
