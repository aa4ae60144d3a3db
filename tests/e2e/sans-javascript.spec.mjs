// The widget without JavaScript: the proxy's plain pages (/offres, an offer's page, the print
// view), the iframe embed and its framing policy, the loader's fallback when WebAssembly is
// blocked, and the notice-board print view with QR codes read back by a QR decoder.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import vnuJar from 'vnu-jar';
import { test, expect } from '@playwright/test';
import { axeViolations } from './axe.mjs';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { hostOrigin, proxyOrigin, sandboxOrigin } from '../playwright.config.mjs';

const artifacts = new URL('../artifacts/', import.meta.url);

const RENNES = '/offres?site=demo&commune=35238&rayon=10';

test.describe('with JavaScript disabled', () => {
  test.use({ javaScriptEnabled: false });

  test('a resident searches, filters, pages, opens an offer and comes back', async ({ page }) => {
    await page.goto(RENNES);
    const widget = page.locator('offres-emploi');
    await expect(widget.getByTestId('offer')).toHaveCount(20);
    await expect(widget.getByRole('status')).toContainText(/offres?/);

    // Search: a plain GET form to the page itself.
    await widget.getByLabel('Métier, mots-clés').fill('vendeur');
    await widget.getByRole('button', { name: 'Rechercher' }).click();
    await expect(page).toHaveURL(/[?&]q=vendeur/);
    await expect(widget.getByLabel('Métier, mots-clés')).toHaveValue('vendeur');
    const found = await widget.getByTestId('offer').count();
    expect(found).toBeGreaterThan(0);

    // Filter: the boxes are submitted with the form.
    await widget.locator('summary', { hasText: 'Filtres' }).click();
    await widget.getByRole('checkbox', { name: /^CDI( \(|$)/ }).check();
    await widget.getByRole('button', { name: 'Appliquer les filtres' }).click();
    await expect(page).toHaveURL(/types_contrat=CDI/);
    await expect(widget.getByTestId('chips')).toContainText('CDI');
    await expect(widget.getByRole('checkbox', { name: /^CDI( \(|$)/ })).toBeChecked();
    const contracts = await widget.getByTestId('offer').locator('.oe-tag').first().allTextContents();
    expect(contracts).toEqual(['CDI']);

    // Page: "more" is a link showing one page more.
    await page.goto(RENNES);
    await widget.getByRole('link', { name: /Afficher plus/ }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(widget.getByTestId('offer')).toHaveCount(40);

    // Open an offer: its own page, with "Postuler" as a plain link, then back to the search.
    const card = widget.getByTestId('offer').nth(25);
    const title = (await card.locator('.oe-card__title').textContent()).trim();
    await card.getByRole('link', { name: title }).click();
    await expect(page).toHaveURL(/\/offres\/[0-9A-Z]{7}\?/);
    await expect(widget.getByRole('heading', { level: 1 })).toHaveText(title);
    // RGAA 8.6: the page's title is the offer's.
    await expect(page).toHaveTitle(title);
    const apply = widget.getByTestId('apply');
    // Through the proxy, which counts the click and redirects to the offer's own address.
    await expect(apply).toHaveAttribute('href', /^\/api\/v1\/postuler\/[0-9A-Z]{7}\?site=demo$/);
    await expect(apply).toHaveAttribute('data-destination', /^https?:\/\//);
    await widget.getByRole('link', { name: /Retour aux offres/ }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(widget.getByTestId('offer')).toHaveCount(40);
  });

  test('a keyboard-only resident searches, filters and opens an offer', async ({ page }) => {
    await page.goto(RENNES);
    const widget = page.locator('offres-emploi');
    /** Tabs until `target` has the focus (at most 40 steps). */
    const tabTo = async (target) => {
      for (let i = 0; i < 40; i += 1) {
        if (await target.evaluate((e) => e.getRootNode().activeElement === e)) return;
        await page.keyboard.press('Tab');
      }
      throw new Error('not reached by Tab');
    };
    await tabTo(widget.getByLabel('Métier, mots-clés'));
    await page.keyboard.type('vendeur');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/q=vendeur/);
    await tabTo(widget.locator('summary'));
    await page.keyboard.press('Enter');
    const cdi = widget.getByRole('checkbox', { name: /^CDI( \(|$)/ });
    await tabTo(cdi);
    await page.keyboard.press('Space');
    await tabTo(widget.getByRole('button', { name: 'Appliquer les filtres' }));
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/types_contrat=CDI/);
    const title = widget.locator('.oe-card__open').first();
    const text = (await title.textContent()).trim();
    await tabTo(title);
    await page.keyboard.press('Enter');
    await expect(widget.getByRole('heading', { level: 1 })).toHaveText(text);
    await tabTo(widget.getByRole('link', { name: /Retour aux offres/ }));
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/types_contrat=CDI/);
  });

  test('the place field moves the search to the place typed', async ({ page }) => {
    await page.goto(RENNES);
    const widget = page.locator('offres-emploi');
    await widget.getByLabel('Lieu').fill('Saint-Malo');
    await widget.getByRole('button', { name: 'Rechercher' }).click();
    await expect(page).toHaveURL(/commune=35288/);
    await expect(widget.getByRole('status')).toContainText('Saint-Malo');
    await expect(widget.getByLabel('Lieu')).toHaveValue('Saint-Malo');
    await widget.getByLabel('Lieu').fill('Zzzzqxw');
    await widget.getByRole('button', { name: 'Rechercher' }).click();
    await expect(widget.getByTestId('error')).toContainText('Zzzzqxw');
  });

  test('bad input gets a readable error page with a 4xx, in the right language', async ({ page }) => {
    const unknown = await page.goto('/offres?site=inconnu&commune=35238');
    expect(unknown.status()).toBe(403);
    await expect(page.getByTestId('error')).toContainText('Clé de site inconnue');
    const english = await page.goto('/offres?site=demo&lang=en&commune=35238&rayon=999&page=1');
    expect(english.status()).toBe(400);
    await expect(page.getByRole('alert').first()).toContainText(/radius|rayon/i);
    const offer = await page.goto('/offres/nimporte?site=demo&lang=en');
    expect(offer.status()).toBe(400);
    await expect(page.getByRole('alert')).toContainText('Invalid offer id');
  });
});

test.describe('axe-core', () => {
  // axe is injected as a script, which the pages' own CSP refuses.
  test.use({ bypassCSP: true });

  test('the plain pages and the print view have no WCAG 2.1 AA violation', async ({ page }) => {
  await page.goto(`${RENNES}&types_contrat=CDI&page=1`);
  await page.locator('offres-emploi').locator('summary').click();
  expect(await axeViolations(page), 'search page').toEqual([]);
  const href = await page.locator('offres-emploi').locator('.oe-card__open').first().getAttribute('href');
  await page.goto(href);
  expect(await axeViolations(page), 'offer page').toEqual([]);
  await page.goto(`/offres/imprimer?site=demo&commune=35238&rayon=10&par_page=10&page=1`);
  expect(await axeViolations(page), 'print view').toEqual([]);
  });
});

// RGAA criterion 8.2 (valid code): the Nu Html Checker (npm vnu-jar, on Debian's Java) finds no
// error on the plain search page, an offer's page, the print view, the usage report, nor the first view (checked
// as the body of a minimal document). Leptos' `<!>` markers were 53 "bogus comment" errors.
// One message is set aside, for the first view only: it lives in the element's shadow root,
// where `part` (CSS Shadow Parts, the `::part` theming) is a global attribute that the checker,
// which knows the HTML standard's attributes only, does not list. (The plain pages hold theirs in
// a declarative shadow root, a `<template>` whose content the checker leaves alone.)
test('the plain pages, the print view and the first view are valid HTML', async ({ request }) => {
  const navigate = { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };
  const get = async (path, headers) => {
    const answer = await request.get(`${proxyOrigin}${path}`, { headers });
    expect(answer.status(), path).toBe(200);
    return answer.text();
  };
  const search = await get(RENNES, navigate);
  const offer = search.match(/href="(\/offres\/[0-9A-Z]{7}\?[^"]*)"/)[1].replaceAll('&amp;', '&');
  const vue = JSON.parse(await get('/api/v1/vue?site=demo&commune=35238&rayon=10', { origin: hostOrigin }));
  const documents = {
    'search.html': search,
    'offer.html': await get(offer, navigate),
    'print.html': await get('/offres/imprimer?site=demo&commune=35238&rayon=10', navigate),
    // The town hall's usage report (its password from tests/e2e-proxy.toml).
    'report.html': await get('/rapport?site=demo&lang=fr', { authorization: `Basic ${Buffer.from('mairie:e2e-rapport-0123456789').toString('base64')}` }),
    'first-view.html': `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Vue</title></head><body>${vue.html}</body></html>`,
  };
  const dir = new URL('valid-html/', artifacts);
  await mkdir(dir, { recursive: true });
  const files = [];
  for (const [name, html] of Object.entries(documents)) {
    const file = new URL(name, dir).pathname;
    await writeFile(file, html);
    files.push(file);
  }
  const { stdout } = await promisify(execFile)(
    'java', ['-jar', `${vnuJar}`, '--format', 'json', '--stdout', '--exit-zero-always', ...files],
    { maxBuffer: 16 << 20 },
  );
  const shadowPart = (m) => m.url.endsWith('/first-view.html') && /^Attribute “part” not allowed/.test(m.message);
  const errors = JSON.parse(stdout).messages
    .filter((m) => m.type === 'error' && !shadowPart(m))
    .map((m) => `${m.url.split('/').pop()}:${m.lastLine}: ${m.message}`);
  expect(errors).toEqual([]);
});

test('the iframe snippet works from a registered origin, with deep links inside', async ({ page }) => {
  await page.goto(`${hostOrigin}/cadre.html`);
  const frame = page.frameLocator('iframe');
  await expect(frame.getByTestId('offer')).toHaveCount(20);
  // The optional script sizes the frame to its content.
  await expect.poll(async () => (await page.locator('iframe').boundingBox()).height).toBeGreaterThan(1200);
  await frame.getByRole('link', { name: /Afficher plus/ }).click();
  await expect(frame.getByTestId('offer')).toHaveCount(40);
  await frame.getByLabel('Métier, mots-clés').fill('vendeur');
  await frame.getByRole('button', { name: 'Rechercher' }).click();
  const inner = page.frames().find((f) => f !== page.mainFrame());
  await expect.poll(() => inner.url()).toMatch(/q=vendeur/);
  await expect(frame.getByLabel('Métier, mots-clés')).toHaveValue('vendeur');
  // The host page stayed where it was: the search happened inside the frame.
  expect(page.url()).toBe(`${hostOrigin}/cadre.html`);
  const count = await frame.getByTestId('offer').count();
  // The frame's address is a deep link: opened again, it shows the same search.
  const again = await page.context().newPage();
  await again.goto(inner.url());
  await expect(again.locator('offres-emploi').getByTestId('offer')).toHaveCount(count);
  await expect(again.locator('offres-emploi').getByLabel('Métier, mots-clés')).toHaveValue('vendeur');
  await again.close();
});

test('an unregistered origin framing the page is refused before any search', async ({ page, request }) => {
  const blocked = [];
  page.on('console', (m) => { if (/frame-ancestors/.test(m.text())) blocked.push(m.text()); });
  const stats = async () => (await (await request.get(`${sandboxOrigin}/_sandbox/stats`)).json()).search_calls;
  const before = await stats();
  // The same iframe page from another origin (a second loopback address), which no site key
  // registers: the access gate reads the frame's Fetch Metadata and its embedder (Referer).
  const outsider = hostOrigin.replace('127.0.0.1', '127.0.0.2');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().startsWith(`${proxyOrigin}/offres`)),
    page.goto(`${outsider}/cadre.html`),
  ]);
  expect(response.status()).toBe(403);
  // The refusal itself is framed by nobody.
  expect(response.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  await expect.poll(() => blocked.length).toBeGreaterThan(0);
  const frame = page.frames().find((f) => f !== page.mainFrame());
  expect(await frame.locator('[data-testid="offer"]').count()).toBe(0);
  expect(await stats(), 'no France Travail call').toBe(before);
});

test('cadre.js sizes the widget\'s frame and ignores messages from other origins', async ({ page }) => {
  await page.goto(`${hostOrigin}/cadre-et-intrus.html`);
  await expect(page.frameLocator('#offres').getByTestId('offer')).toHaveCount(20);
  await expect.poll(async () => (await page.locator('#offres').boundingBox()).height).toBeGreaterThan(1200);
  // The other site's frame has posted the widget's message many times by now.
  await page.waitForTimeout(500);
  expect((await page.locator('#intrus').boundingBox()).height).toBe(150);
  expect((await page.locator('#offres').boundingBox()).height).not.toBe(4321);
});

test('with WebAssembly blocked by CSP, the fallback shows offers and links to the plain page', async ({ page }) => {
  await page.goto('/csp/sans-wasm.html');
  const widget = page.locator('offres-emploi');
  await expect(widget.getByTestId('offer').first()).toBeVisible();
  const plain = widget.getByRole('link', { name: /version simple/ });
  await expect(plain).toBeVisible();
  await expect(widget.getByRole('link', { name: /francetravail\.fr/ })).toBeVisible();
  await plain.click();
  await expect(page).toHaveURL(/\/offres\?/);
  await expect(page.locator('offres-emploi').getByTestId('offer').first()).toBeVisible();
  await expect(page.locator('offres-emploi').getByLabel('Métier, mots-clés')).toHaveValue('boulanger');
});

test('the widget opens the print view of its search, laid out for A4 with readable QR codes', async ({ page }) => {
  await page.goto(`${hostOrigin}/mairie.html`);
  const widget = page.locator('offres-emploi').first();
  await expect(widget.getByTestId('offer')).toHaveCount(20);
  const [print] = await Promise.all([
    page.context().waitForEvent('page'),
    widget.getByTestId('print').click(),
  ]);
  await print.waitForLoadState();
  expect(new URL(print.url()).pathname).toBe('/offres/imprimer');
  await expect(print.getByRole('heading', { level: 1 })).toContainText('Rennes');
  await expect(print.locator('.oe-print__header')).toContainText('France Travail');
  const posted = print.getByTestId('posted');
  await expect(posted).toHaveCount(20);

  // A4 at 96 dpi, print media: no actions, no card split across pages.
  await print.setViewportSize({ width: 794, height: 1123 });
  await print.emulateMedia({ media: 'print' });
  await expect(print.locator('.oe-print__actions')).toBeHidden();
  expect(await posted.first().evaluate((e) => getComputedStyle(e).breakInside)).toBe('avoid');
  await mkdir(artifacts, { recursive: true });
  await print.screenshot({ path: new URL('print-a4.png', artifacts).pathname, fullPage: true });
  const pdf = await print.pdf({ format: 'A4' });
  expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
  await writeFile(new URL('print-a4.pdf', artifacts), pdf);

  // Every QR code decodes back to its offer's address.
  for (let i = 0; i < 3; i += 1) {
    const item = posted.nth(i);
    const png = PNG.sync.read(await item.locator('.oe-print__code').screenshot());
    const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(code, `QR code ${i} decodes`).not.toBeNull();
    expect(code.data).toBe(await item.getAttribute('data-url'));
    expect(code.data).toMatch(/^https:\/\/candidat\.francetravail\.fr\/offres\/recherche\/detail\/[0-9A-Z]{7}$/);
  }
});
