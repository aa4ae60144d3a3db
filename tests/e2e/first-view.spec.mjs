// The first view comes from the proxy, rendered with the widget's own components: offers show
// before the WebAssembly module arrives, and the module takes over without searching again,
// keeping what the resident typed and where the focus was.
import { test, expect } from '@playwright/test';
import { hostOrigin } from '../playwright.config.mjs';

/** Counts the page's API requests by endpoint (`search`, `vue`...). */
const apiCalls = (page) => {
  const calls = {};
  page.on('request', (r) => {
    const m = new URL(r.url()).pathname.match(/\/api\/v1\/([a-z]+)/);
    if (m) (calls[m[1]] ??= []).push(new URL(r.url()).searchParams);
  });
  return calls;
};

/** Holds the wasm module back until the returned function is called. */
async function holdWasm(page) {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route('**/*.wasm', async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

/** Records the page's layout shifts from its start (not those right after an input). */
const observeShifts = (page) => page.addInitScript(() => {
  window.shifts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) window.shifts.push(e.value);
  }).observe({ type: 'layout-shift', buffered: true });
});

/** The sum of the shifts recorded, two frames on (for the observer to report). */
async function layoutShift(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(() => window.shifts.reduce((a, b) => a + b, 0));
}

const takenOver = (page) => page.waitForFunction(
  () => [...document.querySelectorAll('offres-emploi')].every((el) => el._handle),
);

test('offers show with the wasm blocked: the first view is the server\'s', async ({ page }) => {
  await page.route('**/*.wasm', (route) => route.abort());
  await page.goto(`${hostOrigin}/mairie.html`);
  const widget = page.locator('offres-emploi');
  await expect(widget.getByTestId('offer')).toHaveCount(20);
  await expect(widget.getByRole('status')).toContainText('Rennes');
  await expect(widget.getByRole('combobox', { name: 'Métier, mots-clés' })).toBeVisible();
});

// Issue 26 and the offers licence (article 4): the source, the date of the last update and a
// link to the licence, on the server's first view and after the module took over and searched.
test('the widget shows the source, the offers\' update date and the licence', async ({ page }) => {
  await page.goto(`${hostOrigin}/mairie.html`);
  const widget = page.locator('offres-emploi');
  const source = widget.getByTestId('source');
  await expect(source).toContainText('Offres France Travail');
  await expect(source.getByTestId('updated')).toHaveText(/^mises à jour le \d{1,2} [a-zéû]+ \d{4} à \d{1,2} h \d{2}$/);
  await expect(source.getByTestId('licence')).toHaveAttribute('href', /francetravail\.io\/.*licence-offres-emploi/);
  await takenOver(page);
  const searched = page.waitForResponse((r) => r.url().includes('/api/v1/search'));
  await widget.getByRole('combobox', { name: 'Métier, mots-clés' }).fill('vendeur');
  await widget.getByRole('button', { name: 'Rechercher' }).click();
  await searched;
  await expect(source.getByTestId('updated')).toHaveText(/^mises à jour le /);
});

test('the module is asked for once the first view answers, and takes over once it is painted', async ({ page }) => {
  // The first view's answer is held, so that an early module request would show.
  let answer;
  const answered = new Promise((resolve) => { answer = resolve; });
  const order = [];
  await page.route('**/api/v1/vue?*', async (route) => {
    await answered;
    order.push('vue answers');
    await route.continue();
  });
  page.on('request', (r) => {
    if (/emploi-widget.*\.(js|wasm)$/.test(r.url())) order.push(r.url().endsWith('.wasm') ? 'wasm' : 'glue');
  });
  await page.addInitScript(() => {
    // When the module mounts, whether the server's cards had been on screen for a frame.
    window.framesWithCards = 0;
    const count = () => {
      const root = document.querySelector('offres-emploi')?.shadowRoot;
      if (root?.querySelector('[data-testid="offer"]') && !document.querySelector('offres-emploi')._handle) {
        window.framesWithCards += 1;
      }
      requestAnimationFrame(count);
    };
    requestAnimationFrame(count);
    addEventListener('offres-emploi:recherche', () => { window.framesAtTakeover ??= window.framesWithCards; });
  });
  await page.goto(`${hostOrigin}/mairie.html`);
  await page.waitForTimeout(300);
  expect(order).toEqual([]);
  answer();
  await takenOver(page);
  expect(order.slice(0, 1)).toEqual(['vue answers']);
  expect(order.slice(1).sort()).toEqual(['glue', 'wasm']);
  expect(await page.evaluate(() => window.framesAtTakeover)).toBeGreaterThanOrEqual(1);
});

test('the module takes over without a second search, keeping typed text and focus', async ({ page }) => {
  const calls = apiCalls(page);
  const release = await holdWasm(page);
  await page.goto(`${hostOrigin}/mairie.html`);
  const widget = page.locator('offres-emploi');
  await expect(widget.getByTestId('offer')).toHaveCount(20);
  const box = widget.getByRole('combobox', { name: 'Métier, mots-clés' });
  await box.click();
  await box.pressSequentially('boulan');
  // Enter before the module is there submits nothing to the host page.
  await box.press('Enter');
  expect(new URL(page.url()).search).toBe('');
  release();
  await takenOver(page);
  await expect(widget.getByTestId('offer')).toHaveCount(20);
  expect(Object.keys(calls)).toEqual(['vue']);
  expect(calls.vue).toHaveLength(1);
  await expect(box).toHaveValue('boulan');
  expect(await widget.evaluate((el) => el.shadowRoot.activeElement?.id)).toBe('oe-keywords');
  // The typed text is the widget's: a search finds it.
  await box.pressSequentially('ger');
  await box.press('Enter');
  await expect.poll(() => calls.search?.map((q) => q.get('q'))).toEqual(['boulanger']);
  await expect(widget.getByTestId('offer').first()).toBeVisible();
});

test('nothing moves on the page across load and takeover', async ({ page }) => {
  await observeShifts(page);
  await page.goto(`${hostOrigin}/mairie.html`);
  await expect(page.locator('offres-emploi').getByTestId('offer')).toHaveCount(20);
  await takenOver(page);
  expect(await layoutShift(page)).toBe(0);
});

test('a screen\'s height is held until a slow first view paints, then given back', async ({ page }) => {
  await observeShifts(page);
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route('**/api/v1/vue*', async (route) => {
    await released;
    await route.continue();
  });
  await page.goto(`${hostOrigin}/hauteur.html`);
  const widget = page.locator('offres-emploi');
  await page.waitForFunction(() => document.querySelector('offres-emploi').shadowRoot);
  const held = await widget.evaluate((el) => ({
    height: el.getBoundingClientRect().height, screen: innerHeight, minHeight: el.style.minHeight,
  }));
  expect(held.minHeight).toBe('100vh');
  expect(held.height).toBeGreaterThanOrEqual(held.screen);
  // The text below the widget is out of sight while the view is on its way.
  await expect(page.locator('#apres')).not.toBeInViewport();
  release();
  await expect(widget.getByTestId('offer')).toHaveCount(20);
  await expect.poll(() => widget.evaluate((el) => el.style.minHeight)).toBe('');
  await takenOver(page);
  expect(await layoutShift(page)).toBe(0);
});

test('toggling a contract filter from the keyboard keeps the focus on it', async ({ page }) => {
  await page.goto(`${hostOrigin}/mairie.html`);
  const widget = page.locator('offres-emploi');
  await takenOver(page);
  await widget.getByText('Filtres', { exact: false }).first().click();
  const cdi = widget.getByRole('checkbox', { name: /^CDI/ });
  await cdi.focus();
  await page.keyboard.press('Space');
  await expect(widget.getByTestId('chips')).toContainText('CDI');
  await expect(cdi).toBeChecked();
  expect(await widget.evaluate((el) => el.shadowRoot.activeElement?.id)).toBe('oe-contrat-CDI');
  await page.keyboard.press('Space');
  await expect(cdi).not.toBeChecked();
  expect(await widget.evaluate((el) => el.shadowRoot.activeElement?.id)).toBe('oe-contrat-CDI');
});

test('a strict CSP with Trusted Types: the documented policy paints the first view', async ({ page }) => {
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  // The sandbox's employers have their logos on their own (.example) sites, answered here as
  // those hosts would: the documented policy must let an offer's logo in.
  let logos = 0;
  await page.route(/^https:\/\/[^/]+\.example\/logo\.png$/, (route) => {
    logos += 1;
    route.fulfill({ contentType: 'image/svg+xml', body: '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>' });
  });
  const response = await page.goto('/csp/strict.html');
  expect(response.headers()['content-security-policy']).toContain("require-trusted-types-for 'script'");
  const widget = page.locator('offres-emploi');
  await expect(widget.getByTestId('offer')).toHaveCount(20);
  await takenOver(page);
  await widget.getByTestId('offer').first().getByRole('heading').getByRole('button').click();
  await expect(widget.getByRole('dialog')).toBeVisible();
  // The first offer near Rennes has a logo (the sandbox's data are deterministic).
  await expect(widget.getByRole('dialog').locator('img.oe-detail__logo')).toBeVisible();
  expect(logos).toBeGreaterThan(0);
  expect(problems.filter((p) => !p.includes("style-src"))).toEqual([]);
});

test('two instances on one page each take over from their own first view', async ({ page }) => {
  const calls = apiCalls(page);
  await page.goto(`${hostOrigin}/residents.html`);
  const [city, metro] = [page.locator('#ville'), page.locator('#metropole')];
  await expect(city.getByTestId('offer')).toHaveCount(20);
  await expect(metro.getByTestId('offer')).toHaveCount(10);
  await takenOver(page);
  expect(calls.vue.map((q) => q.get('commune') ?? q.get('epci'))).toEqual(['35238', '243500139']);
  expect(calls.search).toBeUndefined();
  await expect(metro.getByRole('status')).toContainText('Rennes Métropole');
  await city.getByLabel('Rayon').selectOption('20');
  await expect(city.getByRole('status')).toContainText('20 km');
  await expect(metro.getByTestId('offer')).toHaveCount(10);
});

/** Records the page's requests for the module's chunks (the parts loaded when first needed). */
const chunkRequests = (page) => {
  const chunks = [];
  page.on('request', (r) => {
    const m = new URL(r.url()).pathname.match(/\/(split_[a-z_]+|chunk_\d+)-[0-9a-f]{16}\.wasm$/);
    if (m) chunks.push(m[1]);
  });
  return chunks;
};

test('the offer detail is a chunk fetched on the first offer opened; one that fails to load says so', async ({ page }) => {
  const chunks = chunkRequests(page);
  let failing = true;
  await page.route('**/split_offer_detail-*.wasm', (route) => (failing ? route.abort() : route.continue()));
  await page.goto(`${hostOrigin}/mairie.html`);
  await takenOver(page);
  const widget = page.locator('offres-emploi');
  await expect(widget.getByTestId('offer')).toHaveCount(20);
  // Interactive without the detail's code.
  expect(chunks).toEqual([]);
  const opener = widget.getByTestId('offer').first().getByRole('heading').getByRole('button');
  const title = await opener.innerText();
  await opener.click();
  const dialog = widget.getByRole('dialog');
  await expect(dialog).toContainText("Impossible d'afficher cette offre.");
  await expect(dialog).toContainText('Vérifiez votre connexion internet');
  expect(chunks).toContain('split_offer_detail');
  await dialog.getByRole('button', { name: 'Fermer' }).click();
  await expect(dialog).toBeHidden();
  // The widget still works, and the next offer opened tries the chunk again.
  failing = false;
  await opener.click();
  await expect(dialog.getByRole('heading', { level: 2 })).toHaveText(title);
  await expect(dialog.getByTestId('apply')).toHaveText('Postuler');
});

test('a first view with the market overview is taken over with it: its chunk loads before the takeover', async ({ page }) => {
  const chunks = chunkRequests(page);
  // The chunk comes late, so that a takeover without it would show.
  await page.route('**/split_market-*.wasm', async (route) => {
    await new Promise((r) => setTimeout(r, 500));
    await route.continue();
  });
  await page.addInitScript(() => {
    // Frames where the market element had cards on screen but no overview in its panel.
    window.framesWithoutMarket = 0;
    const check = () => {
      const root = document.querySelector('#marche')?.shadowRoot;
      if (root?.querySelector('[data-testid="offer"]') && !root.querySelector('.oe-market__total')) {
        window.framesWithoutMarket += 1;
      }
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
  const calls = apiCalls(page);
  await page.goto(`${hostOrigin}/marche.html`);
  await takenOver(page);
  const panel = page.locator('#marche').getByRole('region', { name: "Le marché de l'emploi local" });
  await expect(panel).toContainText(/offres · Rennes Métropole/);
  expect(chunks).toContain('split_market');
  expect(chunks).not.toContain('split_offer_detail');
  expect(await page.evaluate(() => window.framesWithoutMarket)).toBe(0);
  // The overview came with the first view: no request of its own.
  expect(calls.marche).toBeUndefined();
});
