// The walking skeleton, end to end: script tag → custom element → shadow root → proxy → sandbox.
import { test, expect } from '@playwright/test';
import { hostOrigin } from '../playwright.config.mjs';

/** Collects page errors so that every test can assert there were none. */
function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('the demo page shows sandbox offers inside the shadow root', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const widget = page.locator('#offres');
  const cards = widget.getByTestId('offer');
  await expect(cards.first()).toBeVisible();
  await expect(cards).toHaveCount(20);
  await expect(widget.getByRole('status')).toHaveText(/^\d[\d\s\u202f]* offres à moins de 10 km de Rennes$/);
  // The cards live in the shadow root, not in the host document.
  expect(await page.evaluate(() => document.querySelectorAll('.oe-card').length)).toBe(0);
  expect(await page.evaluate(() => document.querySelector('#offres').shadowRoot.querySelectorAll('.oe-card').length)).toBe(20);
  // Each card has a title, a contract and a publication date.
  const first = cards.first();
  await expect(first.locator('h3')).not.toBeEmpty();
  await expect(first.locator('.oe-tag').first()).not.toBeEmpty();
  await expect(first.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
  expect(errors).toEqual([]);
});

test('typing a keyword searches and the second widget stays as it was', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const main = page.locator('#offres');
  const side = page.locator('#saisonniers');
  await expect(main.getByTestId('offer').first()).toBeVisible();
  await expect(side.getByTestId('offer').first()).toBeVisible();
  const sideBefore = await side.getByTestId('offer').allInnerTexts();
  const sideStatus = await side.getByRole('status').innerText();

  await main.getByLabel('Métier, mots-clés').fill('aide-soignant');
  await main.getByRole('button', { name: 'Rechercher' }).click();
  const titles = main.getByTestId('offer').locator('h3');
  await expect(titles.first()).toHaveText(/Aide-soignant/);
  for (const t of await titles.allInnerTexts()) expect(t).toMatch(/Aide-soignant/);

  expect(await side.getByTestId('offer').allInnerTexts()).toEqual(sideBefore);
  await expect(side.getByRole('status')).toHaveText(sideStatus);
  await expect(side.getByLabel('Métier, mots-clés')).toHaveValue('serveur');
  expect(errors).toEqual([]);
});

test('a webmaster page on another origin embeds the widget with one script tag', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(`${hostOrigin}/mairie.html`);
  const widget = page.locator('offres-emploi');
  await expect(widget.getByTestId('offer').first()).toBeVisible();
  await expect(widget.getByTestId('offer')).toHaveCount(20);
  expect(errors).toEqual([]);
});

test('a page using a key it does not own gets a readable refusal, not a blank box', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(`${hostOrigin}/unknown-key.html`);
  const alert = page.locator('offres-emploi').getByRole('alert');
  await expect(alert).toContainText('Clé de site inconnue');
  await expect(alert).toContainText('cle-inconnue');
  await expect(page.locator('offres-emploi').getByTestId('offer')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('more offers are appended without losing the first ones', async ({ page }) => {
  await page.goto('/');
  const main = page.locator('#offres');
  await expect(main.getByTestId('offer')).toHaveCount(20);
  const firstId = await main.getByTestId('offer').first().getAttribute('data-id');
  await main.getByRole('button', { name: "Afficher plus d'offres" }).click();
  await expect(main.getByTestId('offer')).toHaveCount(40);
  await expect(main.getByTestId('offer').first()).toHaveAttribute('data-id', firstId);
});

test('a search with no result says so', async ({ page }) => {
  await page.goto('/');
  const main = page.locator('#offres');
  await expect(main.getByTestId('offer').first()).toBeVisible();
  await main.getByLabel('Métier, mots-clés').fill('astronaute');
  await main.getByRole('button', { name: 'Rechercher' }).click();
  await expect(main.getByRole('status')).toHaveText('Aucune offre à moins de 10 km de Rennes');
  await expect(main.getByTestId('empty')).toBeVisible();
  await expect(main.getByTestId('offer')).toHaveCount(0);
});

test('a network failure shows a readable error and retry recovers', async ({ page }) => {
  await page.goto('/');
  const main = page.locator('#offres');
  await expect(main.getByTestId('offer').first()).toBeVisible();
  await page.route('**/api/v1/search**', (route) => route.abort('connectionrefused'));
  await main.getByRole('button', { name: 'Rechercher' }).click();
  const alert = main.getByRole('alert');
  await expect(alert).toContainText('Impossible de joindre le service');
  // The previous results stay on screen.
  await expect(main.getByTestId('offer').first()).toBeVisible();
  await page.unroute('**/api/v1/search**');
  await alert.getByRole('button', { name: 'Réessayer' }).click();
  await expect(alert).toHaveCount(0);
});

test('France Travail being down is explained, not shown raw', async ({ page }) => {
  await page.route('**/api/v1/{search,vue}**', (route) => route.fulfill({
    status: 503,
    contentType: 'application/json',
    headers: { 'Access-Control-Allow-Origin': '*' },
    body: JSON.stringify({ code: 'upstream_unavailable', message: 'x', retry_after: 5 }),
  }));
  await page.goto('/');
  const alert = page.locator('#offres').getByRole('alert');
  await expect(alert).toContainText('Le service de France Travail ne répond pas');
  await expect(alert).not.toContainText('upstream_unavailable');
});

test('the host page CSS does not reach inside the widget', async ({ page }) => {
  await page.goto('/');
  const button = page.locator('#offres').getByRole('button', { name: 'Rechercher' });
  await expect(button).toBeVisible();
  // demo-site/site.css sets `button { text-transform: uppercase }` for its own buttons.
  expect(await button.evaluate((b) => getComputedStyle(b).textTransform)).toBe('none');
});

test('English is used when the element asks for it', async ({ page }) => {
  await page.goto(`${hostOrigin}/english.html`);
  const w = page.locator('offres-emploi');
  await expect(w.getByRole('button', { name: 'Search' })).toBeVisible();
  await expect(w.getByRole('status')).toHaveText(/offers within 5 km of Rennes$/);
});

test('an intercommunality page lists the offers of all its communes', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/intercommunalite.html');
  const w = page.locator('#metropole');
  await expect(w.getByRole('status')).toHaveText(/^\d[\d\s\u202f]* offres sur le territoire : Rennes Métropole$/);
  await expect(w.getByTestId('offer')).toHaveCount(20);
  for (const place of await w.locator('.oe-card__place').allInnerTexts()) expect(place).toMatch(/\(35\)$/);
  expect(errors).toEqual([]);
});
