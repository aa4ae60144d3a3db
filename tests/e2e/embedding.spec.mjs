// Embedding for webmasters and integrators: lazy loading, run-time settings, events, themes,
// isolation from hostile host CSS, and pages under a Content-Security-Policy.
import { test, expect } from '@playwright/test';
import { hostOrigin } from '../playwright.config.mjs';

const wasmRequests = (page) => {
  const urls = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) urls.push(r.url()); });
  return urls;
};

test('the wasm is fetched only when the element nears the viewport', async ({ page }) => {
  const wasm = wasmRequests(page);
  await page.goto(`${hostOrigin}/lazy.html`);
  await page.waitForLoadState('networkidle');
  expect(wasm).toEqual([]);
  const widget = page.locator('#bas');
  await widget.scrollIntoViewIfNeeded();
  await expect(widget.getByTestId('offer')).toHaveCount(20);
  expect(wasm).toHaveLength(1);
});

test('chargement="immediat" loads at once, with the script after the element and async', async ({ page }) => {
  const wasm = wasmRequests(page);
  await page.goto(`${hostOrigin}/eager.html`);
  await expect(page.locator('#bas').getByTestId('offer')).toHaveCount(20);
  expect(wasm).toHaveLength(1);
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
});

test('attributes and element.options change the widget at run time', async ({ page }) => {
  await page.goto(`${hostOrigin}/mairie.html`);
  const widget = page.locator('offres-emploi');
  await expect(widget.getByTestId('offer')).toHaveCount(20);
  await expect(widget.getByRole('status')).toContainText('Rennes');
  await widget.evaluate((el) => el.setAttribute('commune', '35288'));
  await expect(widget.getByRole('status')).toContainText('Saint-Malo');
  await widget.evaluate((el) => { el.options = { motsCles: 'agent', parPage: 10, rayon: 30 }; });
  await expect(widget.getByTestId('offer')).toHaveCount(10);
  await expect(widget.getByRole('combobox', { name: 'Métier, mots-clés' })).toHaveValue('agent');
  await expect(widget.getByRole('status')).toContainText('30 km');
  await expect(widget.getByRole('status')).toContainText('Saint-Malo');
});

test('the host page hears searches and opened offers', async ({ page }) => {
  await page.addInitScript(() => {
    window.events = [];
    for (const name of ['offres-emploi:recherche', 'offres-emploi:offre']) {
      document.addEventListener(name, (e) => window.events.push({ name, detail: e.detail }));
    }
  });
  await page.goto(`${hostOrigin}/mairie.html`);
  const widget = page.locator('offres-emploi');
  await expect(widget.getByTestId('offer')).toHaveCount(20);
  const first = widget.getByTestId('offer').first();
  const id = await first.getAttribute('data-id');
  // Opening an offer's detail is what the host hears.
  await first.getByRole('heading').getByRole('button').click();
  await expect(widget.getByRole('dialog')).toBeVisible();
  const events = await page.evaluate(() => window.events);
  const search = events.find((e) => e.name === 'offres-emploi:recherche');
  expect(search.detail).toMatchObject({ territoire: 'commune', code: '35238', rayon: 10, page: 1 });
  expect(search.detail.total).toBeGreaterThan(20);
  const offer = events.find((e) => e.name === 'offres-emploi:offre');
  expect(offer.detail.id).toBe(id);
  expect(offer.detail.intitule.length).toBeGreaterThan(0);
});

test('two themes on one page, and a warning for a theme that breaks contrast', async ({ page }) => {
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await page.goto(`${hostOrigin}/themes.html`);
  for (const id of ['#clair', '#sombre', '#faible']) {
    await page.locator(id).scrollIntoViewIfNeeded();
    await expect(page.locator(id).getByTestId('offer')).toHaveCount(10);
  }
  const look = (id) => page.locator(id).evaluate((el) => {
    const root = getComputedStyle(el.shadowRoot.querySelector('.oe-root'));
    return [root.backgroundColor, root.color];
  });
  expect(await look('#clair')).toEqual(['rgb(255, 255, 255)', 'rgb(30, 30, 30)']);
  expect(await look('#sombre')).toEqual(['rgb(22, 22, 22)', 'rgb(242, 242, 242)']);
  expect(warnings.filter((w) => w.includes('contraste insuffisant'))).toHaveLength(1);
  expect(warnings.find((w) => w.includes('contraste insuffisant'))).toContain('--oe-color-text');
});

test('a hostile CMS theme neither reaches into the widget nor is changed by it', async ({ page }) => {
  // The host's own button, first without the widget (its loader blocked), then with it.
  const hostButton = () => page.locator('#host-button').evaluate((b) => {
    const s = getComputedStyle(b);
    return [s.backgroundColor, s.fontSize, s.fontFamily, s.textTransform];
  });
  await page.route('**/widget/offres-emploi.js', (route) => route.abort());
  await page.goto('/hotes/cms-hostile.html');
  const before = await hostButton();
  await page.unroute('**/widget/offres-emploi.js');
  await page.goto('/hotes/cms-hostile.html');
  const widget = page.locator('offres-emploi');
  await expect(widget.getByTestId('offer').first()).toBeVisible();
  expect(await hostButton()).toEqual(before);
  const inside = await widget.evaluate((el) => {
    const q = (s) => getComputedStyle(el.shadowRoot.querySelector(s));
    return {
      button: [q('.oe-button').fontSize, q('.oe-button').textTransform, q('.oe-button').backgroundColor],
      font: q('.oe-root').fontFamily.includes('Comic'),
      size: q('.oe-root').fontSize,
      list: q('.oe-list').listStyleType,
      title: q('.oe-title').letterSpacing,
    };
  });
  expect(inside).toEqual({
    button: ['16px', 'none', 'rgb(157, 184, 255)'],
    font: false,
    size: '16px',
    list: 'none',
    title: 'normal',
  });
});

test('a page under a strict CSP with wasm-unsafe-eval shows the widget', async ({ page }) => {
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  const response = await page.goto('/csp/strict.html');
  expect(response.headers()['content-security-policy']).toContain("'wasm-unsafe-eval'");
  await expect(page.locator('offres-emploi').getByTestId('offer')).toHaveCount(20);
  expect(problems).toEqual([]);
});

test('a page whose CSP blocks WebAssembly gets a link to the same search and a clear console message', async ({ page }) => {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto('/csp/sans-wasm.html');
  const link = page.locator('offres-emploi').getByRole('link', { name: /francetravail\.fr/ });
  await expect(link).toBeVisible();
  const href = new URL(await link.getAttribute('href'));
  expect(href.origin).toBe('https://candidat.francetravail.fr');
  expect(Object.fromEntries(href.searchParams)).toEqual({ lieux: '35238', rayon: '10', motsCles: 'boulanger' });
  expect(errors.some((e) => e.includes("'wasm-unsafe-eval'"))).toBe(true);
});

test('the public-service design page embeds the sober preset', async ({ page }) => {
  await page.goto('/hotes/design-public.html');
  const widget = page.locator('offres-emploi');
  await expect(widget.getByTestId('offer').first()).toBeVisible();
  const radius = await widget.evaluate((el) => getComputedStyle(el.shadowRoot.querySelector('.oe-card')).borderTopLeftRadius);
  expect(radius).toBe('0px');
});
