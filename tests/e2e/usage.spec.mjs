// Counting use for the commune: /metrics counts, per registered site key, the searches, offers
// opened, "Postuler" clicks, feed reads and plain page views, and moves by exactly what a
// resident did; nothing about the resident is in them.
import { test, expect } from '@playwright/test';
import { adminOrigin, hostOrigin, proxyOrigin } from '../playwright.config.mjs';

/** The demo site's usage counters, by action. */
async function usage(request) {
  const text = await (await request.get(`${adminOrigin}/metrics`)).text();
  const counts = { search: 0, offer: 0, apply: 0, feed: 0, page: 0 };
  for (const [, action, n] of text.matchAll(/^emploi_usage_total\{site="demo",action="(\w+)"\} (\d+)$/gm)) {
    counts[action] = Number(n);
  }
  return counts;
}

test('the counters move by exactly the actions made, and "Postuler" is no open redirect', async ({ page, context, request }) => {
  const before = await usage(request);

  // One visit: the first view is one search.
  await page.goto(`${hostOrigin}/mairie.html`);
  const widget = page.locator('offres-emploi').first();
  await expect(widget.getByTestId('offer')).toHaveCount(20);
  await expect.poll(async () => (await usage(request)).search).toBe(before.search + 1);
  // A second search, then "more" (not a new search).
  await widget.getByLabel('Métier, mots-clés').fill('vendeur');
  await widget.getByRole('button', { name: 'Rechercher' }).click();
  await expect(widget.getByRole('status')).toHaveText(/^\d+ offres? à moins/);
  await expect.poll(async () => (await usage(request)).search).toBe(before.search + 2);
  // One offer opened, and "Postuler" clicked.
  await widget.getByTestId('offer').first().locator('.oe-card__open').click();
  const apply = widget.getByRole('dialog').getByTestId('apply');
  await expect(apply).toBeVisible();
  const destination = await apply.getAttribute('data-destination');
  // The click goes through the proxy, which redirects to the offer's own address (unreachable
  // from this machine: the request is enough).
  const [sent] = await Promise.all([
    context.waitForEvent('request', (r) => r.url() === destination),
    apply.click(),
  ]);
  expect(sent.redirectedFrom().url()).toBe(await apply.getAttribute('href'));
  // One feed read and one plain page.
  const feed = await widget.getByTestId('feed').getAttribute('href');
  expect((await request.get(feed)).status()).toBe(200);
  expect((await request.get(`${proxyOrigin}/offres?site=demo&commune=35238`)).status()).toBe(200);

  await expect.poll(() => usage(request)).toEqual({
    search: before.search + 2,
    offer: before.offer + 1,
    apply: before.apply + 1,
    feed: before.feed + 1,
    page: before.page + 1,
  });

  // The redirect goes only where the offer says: a destination in the query is ignored.
  const id = new URL(await apply.getAttribute('href')).pathname.split('/').pop();
  const redirect = await request.get(`${proxyOrigin}/api/v1/postuler/${id}?site=demo&url=https://evil.example/`, { maxRedirects: 0 });
  expect(redirect.status()).toBe(303);
  expect(redirect.headers().location).toBe(destination);
  expect((await request.get(`${proxyOrigin}/api/v1/postuler/${id}?site=inconnu`, { maxRedirects: 0 })).status()).toBe(403);
  // Nothing per person: the counters carry a site and an action, no address, no query.
  const text = await (await request.get(`${adminOrigin}/metrics`)).text();
  expect(text).not.toContain('vendeur');
  expect(text).not.toMatch(/emploi_usage_total\{[^}]*(ip|client|q)=/);
});
