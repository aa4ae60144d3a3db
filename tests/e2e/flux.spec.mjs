// Following a search: the widget's "Suivre cette recherche" link is an Atom feed that a real
// feed parser reads back as the same offers, answered 304 when nothing changed; the plain page
// advertises it.
import { createRequire } from 'node:module';
import { test, expect } from '@playwright/test';
import { hostOrigin } from '../playwright.config.mjs';

const require = createRequire(import.meta.url);
const { parseFeed } = require('@rowanmanning/feed-parser');

const DETAIL = 'https://candidat.francetravail.fr/offres/recherche/detail/';

test('the feed of a search, read by an Atom parser, lists the offers the widget shows', async ({ page, request }) => {
  await page.goto(`${hostOrigin}/mairie.html`);
  const widget = page.locator('offres-emploi').first();
  await widget.getByLabel('Métier, mots-clés').fill('vendeur');
  await widget.getByRole('button', { name: 'Rechercher' }).click();
  await expect(widget.getByRole('status')).toContainText('offre');
  await expect(widget.getByRole('status')).not.toContainText('Recherche');
  const ids = await widget.getByTestId('offer').evaluateAll((cards) => cards.map((c) => c.dataset.id));
  expect(ids.length).toBeGreaterThan(0);
  const href = await widget.getByTestId('feed').getAttribute('href');
  expect(href).toContain('q=vendeur');

  // A feed reader sends no Origin.
  const answer = await request.get(href);
  expect(answer.status()).toBe(200);
  expect(answer.headers()['content-type']).toContain('application/atom+xml');
  const feed = parseFeed(await answer.text());
  expect(feed.meta.type).toBe('atom');
  expect(feed.title).toContain('Rennes');
  expect(feed.title).toContain('vendeur');
  expect(feed.items.map((i) => i.url)).toEqual(ids.slice(0, 20).map((id) => `${DETAIL}${id}`));
  const titles = await widget.getByTestId('offer').locator('.oe-card__title').allTextContents();
  expect(feed.items.map((i) => i.title)).toEqual(titles.slice(0, 20).map((t) => t.trim()));

  // Polling again: nothing changed, nothing sent.
  const etag = answer.headers().etag;
  expect(etag).toMatch(/^"[0-9a-f]{16}"$/);
  expect((await request.get(href, { headers: { 'If-None-Match': etag } })).status()).toBe(304);
  const since = answer.headers()['last-modified'];
  expect((await request.get(href, { headers: { 'If-Modified-Since': since } })).status()).toBe(304);

  // The same key from a page of another site is refused.
  const foreign = await request.get(href, { headers: { Origin: 'https://autre-site.example' } });
  expect(foreign.status()).toBe(403);
});

test('the plain page advertises the feed of its search', async ({ page, request }) => {
  await page.goto('/offres?site=demo&commune=35238&rayon=10&q=boulanger&page=1');
  const link = page.locator('link[rel="alternate"][type="application/atom+xml"]');
  const href = await link.getAttribute('href');
  expect(href).toMatch(/^\/api\/v1\/flux\?site=demo&.*q=boulanger/);
  const feed = parseFeed(await (await request.get(href)).text());
  const ids = await page.locator('offres-emploi').getByTestId('offer')
    .evaluateAll((cards) => cards.map((c) => c.dataset.id));
  expect(feed.items.map((i) => i.url)).toEqual(ids.map((id) => `${DETAIL}${id}`));
});
