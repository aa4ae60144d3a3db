// Counting use for the commune: /metrics counts, per registered site key, the searches, offers
// opened, "Postuler" clicks, feed reads, plain page views and events calendars read, and moves by exactly what a
// resident did; nothing about the resident is in them.
import { test, expect } from '@playwright/test';
import { adminOrigin, hostOrigin, proxyOrigin } from '../playwright.config.mjs';
import { axeViolations } from './axe.mjs';

/** The demo site's usage counters, by action. */
async function usage(request) {
  const text = await (await request.get(`${adminOrigin}/metrics`)).text();
  const counts = { search: 0, offer: 0, apply: 0, feed: 0, page: 0, calendar: 0 };
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
  // One feed read, one plain page and one events calendar.
  const feed = await widget.getByTestId('feed').getAttribute('href');
  expect((await request.get(feed)).status()).toBe(200);
  expect((await request.get(`${proxyOrigin}/offres?site=demo&commune=35238`)).status()).toBe(200);
  expect((await request.get(`${proxyOrigin}/api/v1/evenements.ics?site=demo&commune=35238`)).status()).toBe(200);

  await expect.poll(() => usage(request)).toEqual({
    search: before.search + 2,
    offer: before.offer + 1,
    apply: before.apply + 1,
    feed: before.feed + 1,
    page: before.page + 1,
    calendar: before.calendar + 1,
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

// Issue 28: the commune's usage report, behind its report password, readable by everyone
// (WCAG 2.1 AA), in French and English, with the same counts as the operators' /metrics.
test.describe('the usage report', () => {
  // axe is injected as a script, which the report's own CSP refuses.
  test.use({ bypassCSP: true, httpCredentials: { username: 'mairie', password: 'e2e-rapport-0123456789' } });

  test('a town hall reads its report, in French and English, with no WCAG violation', async ({ page, request }) => {
    const counted = await usage(request);
    // The browser says English; the town hall asks for French.
    const report = await page.goto(`${proxyOrigin}/rapport?site=demo&lang=fr`);
    expect(report.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rapport d\'usage – Tests de bout en bout');
    await expect(page.getByRole('img', { name: 'Utilisation par mois' })).toBeVisible();
    const table = page.getByRole('table', { name: 'Utilisation par mois' });
    await expect(table.getByRole('columnheader')).toHaveText(['Mois', 'Recherches', 'Offres ouvertes', 'Clics « Postuler »', 'Lectures du flux', 'Pages sans JavaScript', "Agendas d'événements lus"]);
    // The total row adds every month; the counts are at least what /metrics counted (the report
    // also keeps the months before this process).
    const total = (await table.locator('tfoot td').allTextContents()).map(Number);
    expect(total[0]).toBeGreaterThanOrEqual(counted.search);
    expect(total[4]).toBeGreaterThanOrEqual(counted.page);
    expect(total[5]).toBeGreaterThanOrEqual(counted.calendar);
    expect(await axeViolations(page), 'report page').toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Télécharger ces chiffres (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('rapport-demo.csv');

    await page.getByRole('link', { name: 'English version' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Usage report – Tests de bout en bout');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    expect(await axeViolations(page), 'report page in English').toEqual([]);
  });
});

test('without the report password, the report asks for it and shows nothing', async ({ request }) => {
  const refused = await request.get(`${proxyOrigin}/rapport?site=demo`);
  expect(refused.status()).toBe(401);
  expect(refused.headers()['www-authenticate']).toMatch(/^Basic realm=/);
  expect(await refused.text()).not.toContain('<table');
});
