// The resident's search (issue 5): filters with counts, chips, sort, radius, page size, offer
// detail as a dialog, empty-state suggestions, deep links, the keyboard path, axe-core checks
// and screenshots at three widths (kept in tests/artifacts, not committed).
import { test, expect } from '@playwright/test';
import { axeViolations } from './axe.mjs';
import { hostOrigin, proxyOrigin } from '../playwright.config.mjs';

/** Collects page errors so that every test can assert there were none. */
function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

async function openCity(page, query = '') {
  await page.goto(`${hostOrigin}/residents.html${query}`);
  const city = page.locator('#ville');
  await expect(city.getByTestId('offer').first()).toBeVisible();
  return city;
}

test('contract filters show their counts, apply at once and come off as chips', async ({ page }) => {
  const errors = watchErrors(page);
  const city = await openCity(page);
  const total = Number((await city.getByRole('status').innerText()).replace(/\D/g, ''));
  await city.getByText('Filtres', { exact: true }).click();
  const cdi = city.getByRole('checkbox', { name: /^CDI \([\d\s\u202f]+\)$/ });
  await expect(cdi).toBeVisible();
  const count = Number((await cdi.getAttribute('id')) && (await city.locator('label[for="oe-contrat-CDI"]').innerText()).replace(/\D/g, ''));
  expect(count).toBeGreaterThan(0);
  expect(count).toBeLessThan(total);
  await cdi.check();
  // The sentence gives the filtered count, the one the checkbox announced.
  await expect(city.getByRole('status')).toHaveText(new RegExp(`^${count.toLocaleString('fr-FR').replace(/\s/g, '[\\s\\u202f]')} offres`));
  const chips = city.getByRole('list', { name: 'Filtres actifs' });
  await expect(chips.getByRole('button', { name: 'Retirer le filtre : CDI' })).toBeVisible();
  // Another contract type can still be added to a filtered search.
  await city.getByRole('checkbox', { name: /^CDD( \(|$)/ }).check();
  await expect(chips.getByRole('button')).toHaveCount(2);
  await chips.getByRole('button', { name: 'Retirer le filtre : CDI' }).click();
  await expect(chips.getByRole('button')).toHaveCount(1);
  await city.getByRole('button', { name: 'Réinitialiser les filtres' }).click();
  await expect(city.getByTestId('chips')).toBeHidden();
  await expect(city.getByRole('status')).toHaveText(/à moins de 10 km de Rennes$/);
  expect(Number((await city.getByRole('status').innerText()).replace(/\D/g, ''))).toBe(total);
  expect(errors).toEqual([]);
});

test('experience, working time and publication age filter the search', async ({ page }) => {
  const city = await openCity(page);
  const total = Number((await city.getByRole('status').innerText()).replace(/\D/g, ''));
  await city.getByText('Filtres', { exact: true }).click();
  const experience = city.getByLabel('Expérience');
  await expect(experience.locator('option', { hasText: /\(\d/ }).first()).toBeAttached();
  await experience.selectOption('1');
  await expect(city.getByRole('button', { name: "Retirer le filtre : Moins d'un an" })).toBeVisible();
  await city.getByLabel('Temps de travail').selectOption('false');
  await city.getByLabel('Publiée depuis').selectOption('31');
  const chips = city.getByRole('list', { name: 'Filtres actifs' }).getByRole('button');
  await expect(chips).toHaveCount(3);
  await expect(city.getByText('Filtres (3)')).toBeVisible();
  await expect(city.getByRole('status')).not.toHaveText(/^Recherche/);
  expect(Number((await city.getByRole('status').innerText()).replace(/\D/g, '').replace(/10$/, ''))).toBeLessThan(total);
});

test('radius, sort and page size search again, and the radius is off for an EPCI', async ({ page }) => {
  const city = await openCity(page);
  await city.getByLabel('Rayon').selectOption('30');
  await expect(city.getByRole('status')).toHaveText(/à moins de 30 km de Rennes$/);
  await city.getByLabel('Trier par').selectOption('distance');
  await expect(city.getByRole('status')).toHaveText(/30 km/);
  // The status already said "30 km" before the sort changed, and the old cards stay
  // visible while the sorted search runs: poll until the cards come back in order.
  const distances = async () => {
    const places = await city.locator('.oe-card__place').allInnerTexts();
    return places.map((p) => Number((p.match(/([\d,]+) km$/) || [0, '0'])[1].replace(',', '.')));
  };
  await expect.poll(async () => {
    const km = await distances();
    return km.length > 1 && km.every((d, i) => i === 0 || km[i - 1] <= d);
  }).toBe(true);
  await city.getByLabel('Offres par page').selectOption('10');
  await expect(city.getByTestId('offer')).toHaveCount(10);
  const metropole = page.locator('#metropole');
  await expect(metropole.getByLabel('Rayon')).toBeDisabled();
  await expect(metropole.getByLabel('Trier par').locator('option[value="distance"]')).toHaveCount(0);
});

test('the offer detail is a dialog: focus moves in, Esc closes, focus comes back', async ({ page }) => {
  const errors = watchErrors(page);
  const city = await openCity(page);
  const opener = city.getByTestId('offer').first().getByRole('heading').getByRole('button');
  const title = await opener.innerText();
  await opener.focus();
  await page.keyboard.press('Enter');
  const dialog = city.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading', { level: 2 })).toHaveText(title);
  await expect(dialog.getByRole('button', { name: 'Fermer' })).toBeFocused();
  const apply = dialog.getByTestId('apply');
  await expect(apply).toHaveText('Postuler');
  await expect(apply).toHaveAttribute('href', /^https?:\/\//);
  await expect(dialog.getByRole('link', { name: /francetravail\.fr/ })).toHaveAttribute('href', /^https:\/\/candidat\.francetravail\.fr\//);
  await expect(dialog.locator('dt', { hasText: /^Contrat$/ })).toBeVisible();
  // The description keeps its line breaks, as text.
  const description = dialog.locator('.oe-detail__text').first();
  expect(await description.evaluate((p) => p.children.length)).toBe(0);
  expect(await description.evaluate((p) => getComputedStyle(p).whiteSpace)).toBe('pre-line');
  // Focus stays in the dialog.
  for (let i = 0; i < 6; i += 1) await page.keyboard.press('Tab');
  expect(await page.evaluate(() => {
    const active = document.activeElement.shadowRoot?.activeElement;
    return Boolean(active && active.closest('dialog'));
  })).toBe(true);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
  expect(errors).toEqual([]);
});

// The offers licence (its article 5.3): an offer's detail shows everything France Travail gives
// for it, the employer's logo included; a card may summarise.
test('the offer detail shows all France Travail gives, the employer\'s logo included', async ({ page, request }) => {
  const errors = watchErrors(page);
  const headers = { origin: hostOrigin };
  const api = async (path) => (await request.get(`${proxyOrigin}${path}`, { headers })).json();
  const search = await api('/api/v1/search?site=demo&commune=35238&rayon=10&par_page=50');
  let offer;
  for (const card of search.offres) {
    const d = await api(`/api/v1/offres/${card.id}?site=demo`);
    if (d.entreprise_logo && d.contact?.length && d.appellation) { offer = d; break; }
  }
  expect(offer, 'an offer near Rennes whose employer has a logo').toBeTruthy();
  // The sandbox's employers have their logo on their own (.example) site: answered here as their
  // host would, and the request's referrer noted.
  const logoRequests = [];
  await page.route(offer.entreprise_logo, (route) => {
    logoRequests.push(route.request().headers().referer ?? '');
    route.fulfill({
      contentType: 'image/svg+xml',
      body: '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#235"/></svg>',
    });
  });
  const city = await openCity(page, `?oe-ville=${encodeURIComponent(`offre=${offer.id}`)}`);
  const dialog = city.getByRole('dialog');
  await expect(dialog).toBeVisible();
  const logo = dialog.locator('img.oe-detail__logo');
  await expect(logo).toBeVisible();
  await expect(logo).toHaveAttribute('src', offer.entreprise_logo);
  await expect(logo).toHaveAttribute('alt', '');
  expect(logoRequests.length).toBeGreaterThan(0);
  expect(logoRequests.every((r) => r === ''), 'the logo is asked for without the host page as referrer').toBe(true);
  await expect(dialog.locator('dt', { hasText: 'Métier' }).locator('+ dd')).toHaveText(offer.appellation);
  expect(offer.actualisee).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  await expect(dialog.locator('dt', { hasText: 'Actualisée le' }).locator('+ dd')).toHaveText(/ 20\d\d à \d+ h \d\d$/);
  await expect(dialog.getByRole('heading', { name: 'Contact' })).toBeVisible();
  await expect(dialog.getByText(offer.contact[0], { exact: false }).first()).toBeVisible();
  expect(await axeViolations(page, '#ville'), 'detail with everything').toEqual([]);

  // A logo that does not load leaves no broken image: the employer's name says it.
  await page.unroute(offer.entreprise_logo);
  await page.route(offer.entreprise_logo, (route) => route.abort());
  await page.reload();
  await expect(city.getByRole('dialog')).toBeVisible();
  await expect(city.getByRole('dialog').locator('img.oe-detail__logo')).toBeHidden();

  // The offer's plain page (no JavaScript) shows the same, its CSP letting https logos in.
  const plain = await request.get(`${proxyOrigin}/offres/${offer.id}?site=demo&commune=35238&rayon=10`, {
    headers: { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' },
  });
  expect(plain.status()).toBe(200);
  expect(plain.headers()['content-security-policy']).toContain("img-src 'self' data: https:");
  const html = await plain.text();
  expect(html).toContain(`src="${offer.entreprise_logo}"`);
  expect(html).toContain('Métier');
  expect(errors).toEqual([]);
});

test('an empty search suggests what to do, with real counts', async ({ page }) => {
  const city = await openCity(page);
  await city.getByLabel('Métier, mots-clés').fill('astronaute');
  await city.getByRole('button', { name: 'Rechercher' }).click();
  await expect(city.getByRole('status')).toHaveText('Aucune offre à moins de 10 km de Rennes');
  const suggestion = city.getByTestId('suggestions').getByRole('button', { name: /^Chercher sans mots-clés : [\d\s\u202f]+ offres$/ });
  await expect(suggestion).toBeVisible();
  const announced = Number((await suggestion.innerText()).replace(/\D/g, ''));
  await suggestion.click();
  await expect(city.getByRole('combobox', { name: 'Métier, mots-clés' })).toHaveValue('');
  await expect(city.getByRole('status')).toHaveText(/à moins de 10 km de Rennes$/);
  expect(Number((await city.getByRole('status').innerText()).replace(/\D/g, '').replace(/10$/, ''))).toBe(announced);
});

test('deep links: each instance has its own parameter, back and forward work, a link reopens the offer', async ({ page }) => {
  const city = await openCity(page);
  const metropole = page.locator('#metropole');
  await expect(metropole.getByTestId('offer').first()).toBeVisible();
  // Nothing is written for the initial searches.
  expect(new URL(page.url()).search).toBe('');
  await city.getByLabel('Métier, mots-clés').fill('vendeur');
  await city.getByRole('button', { name: 'Rechercher' }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('oe-ville')).toContain('q=vendeur');
  await city.getByLabel('Rayon').selectOption('20');
  await expect.poll(() => new URL(page.url()).searchParams.get('oe-ville')).toContain('rayon=20');
  await metropole.getByText('Filtres', { exact: true }).click();
  await metropole.getByLabel('Temps de travail').selectOption('true');
  await expect.poll(() => new URL(page.url()).searchParams.get('oe-metropole')).toContain('temps_plein=true');
  const cityStatus = await city.getByRole('status').innerText();
  // Back: the metropole's filter goes, the city keeps its search.
  await page.goBack();
  await expect(metropole.getByLabel('Temps de travail')).toHaveValue('');
  await expect(city.getByRole('status')).toHaveText(cityStatus);
  await page.goBack();
  await expect(city.getByRole('status')).toHaveText(/à moins de 10 km de Rennes$/);
  await expect(city.getByRole('combobox', { name: 'Métier, mots-clés' })).toHaveValue('vendeur');
  await page.goForward();
  await expect(city.getByRole('status')).toHaveText(/à moins de 20 km de Rennes$/);
  // Opening an offer is a step of its own, and a shared link reopens it.
  const first = city.getByTestId('offer').first();
  const id = await first.getAttribute('data-id');
  await first.getByRole('heading').getByRole('button').click();
  await expect(city.getByRole('dialog')).toBeVisible();
  await expect.poll(() => new URL(page.url()).searchParams.get('oe-ville')).toContain(`offre=${id}`);
  const shared = page.url();
  await page.goBack();
  await expect(city.getByRole('dialog')).toBeHidden();
  const fresh = await page.context().newPage();
  await fresh.goto(shared);
  const again = fresh.locator('#ville');
  await expect(again.getByRole('dialog')).toBeVisible();
  await expect(again.getByRole('combobox', { name: 'Métier, mots-clés' })).toHaveValue('vendeur');
  await expect(again.getByLabel('Rayon')).toHaveValue('20');
  await expect(fresh.locator('#metropole').getByTestId('offer').first()).toBeVisible();
  await fresh.close();
});

test('deep links keep the pages shown: more pages replace the entry, a link shows them again', async ({ page }) => {
  const errors = watchErrors(page);
  const city = await openCity(page);
  const cards = city.getByTestId('offer');
  await expect(cards).toHaveCount(20);
  const entries = await page.evaluate(() => history.length);
  const more = city.getByRole('button', { name: "Afficher plus d'offres" });
  await more.click();
  await expect(cards).toHaveCount(40);
  await more.click();
  await expect(cards).toHaveCount(60);
  await expect.poll(() => new URL(page.url()).searchParams.get('oe-ville')).toContain('&page=3');
  // More pages of the same search are not steps of their own.
  expect(await page.evaluate(() => history.length)).toBe(entries);
  const ids = await cards.evaluateAll((all) => all.map((c) => c.dataset.id));
  expect(new Set(ids).size).toBe(60);

  const fresh = await page.context().newPage();
  const searches = [];
  const views = [];
  fresh.on('request', (r) => {
    if (r.url().includes('/api/v1/search') && r.url().includes('commune=35238')) searches.push(new URL(r.url()).searchParams);
    if (r.url().includes('/api/v1/vue') && r.url().includes('commune=35238')) views.push(new URL(r.url()).searchParams);
  });
  await fresh.goto(page.url());
  const again = fresh.locator('#ville').getByTestId('offer');
  await expect(again).toHaveCount(60);
  expect(await again.evaluateAll((all) => all.map((c) => c.dataset.id))).toEqual(ids);
  // The proxy's first view already shows pages 1 to 3: the widget searches nothing itself.
  expect(searches).toEqual([]);
  expect(views.map((q) => q.get('lien'))).toEqual([new URL(page.url()).searchParams.get('oe-ville')]);
  await fresh.locator('#ville').getByRole('button', { name: "Afficher plus d'offres" }).click();
  await expect(again).toHaveCount(80);
  await expect.poll(() => new URL(fresh.url()).searchParams.get('oe-ville')).toContain('&page=4');
  // A new search starts again from page 1, as a new entry.
  await fresh.locator('#ville').getByLabel('Rayon').selectOption('20');
  await expect(again).toHaveCount(20);
  await expect.poll(() => new URL(fresh.url()).searchParams.get('oe-ville')).not.toMatch(/(^|&)page=/);
  await fresh.goBack();
  await expect(again).toHaveCount(80);
  await fresh.close();
  expect(errors).toEqual([]);
});

test('the place field suggests communes, EPCI and départements and moves the search', async ({ page }) => {
  const city = await openCity(page);
  const place = city.getByRole('combobox', { name: 'Lieu' });
  await expect(place).toHaveValue('Rennes');
  await place.fill('st malo');
  const options = city.getByRole('listbox', { name: 'Lieux proposés' }).getByRole('option');
  await expect(options.first()).toHaveText(/^Saint-Malo \(35\)/);
  await expect(place).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(place).toHaveAttribute('aria-activedescendant', 'oe-lieu-0');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(city.getByRole('status')).toHaveText(/à moins de 10 km de Saint-Malo$/);
  await expect(place).toHaveValue('Saint-Malo');
  await expect(place).toHaveAttribute('aria-expanded', 'false');
  // An intercommunality: the radius goes off; a click chooses too.
  await place.fill('rennes metropole');
  await city.getByRole('option', { name: /Rennes Métropole · intercommunalité/ }).click();
  await expect(city.getByRole('status')).toHaveText(/sur le territoire : Rennes Métropole$/);
  await expect(city.getByLabel('Rayon')).toBeDisabled();
  // Escape closes the list and leaves the search alone.
  await place.fill('vitré');
  await expect(options.first()).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(place).toHaveAttribute('aria-expanded', 'false');
  await expect(city.getByRole('status')).toHaveText(/Rennes Métropole$/);
});

test('the market panel, a locked place and the compact look', async ({ page }) => {
  await page.goto(`${hostOrigin}/marche.html`);
  const market = page.locator('#marche');
  await expect(market.getByTestId('offer').first()).toBeVisible();
  const panel = market.getByRole('region', { name: "Le marché de l'emploi local" });
  await expect(panel).toBeVisible();
  await expect(panel).toContainText(/offres · Rennes Métropole/);
  const contracts = panel.getByRole('list').first().getByRole('listitem');
  await expect(contracts.first()).toHaveText(/^[^:]+ : [\d\s\u202f]+ offres?$/);
  expect(await contracts.count()).toBeGreaterThan(1);
  await expect(panel).toContainText('Métiers les plus recherchés');
  await expect(panel).toContainText(/Métiers comptés sur les [\d\s\u202f]+ offres les plus récentes\./);
  // The bars are decoration; their length follows the counts.
  const widths = await panel.locator('.oe-bars__bar').evaluateAll((bars) => bars.map((b) => b.style.width));
  expect(widths[0]).toBe('100%');
  // Locked: no place field, the sentence names the place.
  await expect(market.getByRole('combobox', { name: 'Lieu' })).toHaveCount(0);
  await expect(market.getByRole('status')).toHaveText(/Rennes Métropole$/);
  expect(await axeViolations(page, '#marche'), 'market panel').toEqual([]);
  // Compact: the setting lists are tucked away, the search still works.
  const compact = page.locator('#compact');
  await expect(compact.getByTestId('offer')).toHaveCount(10);
  await expect(compact.getByLabel('Rayon')).toBeHidden();
  await expect(compact.getByRole('combobox', { name: 'Lieu' })).toHaveValue('Saint-Malo');
});

// Issue 13, point 6: the panel showed whichever territory's answer came last, so a slow answer
// for the previous territory replaced the current one's.
test('a late market answer for an older territory does not replace the current one', async ({ page }) => {
  // Without first views, each territory's overview is the widget's own request.
  await page.route('**/api/v1/vue**', (route) => route.abort());
  await page.route('**/api/v1/marche**', async (route) => {
    if (route.request().url().includes('commune=35288')) await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.goto(`${hostOrigin}/marche.html`);
  const market = page.locator('#marche');
  const panel = market.getByRole('region', { name: "Le marché de l'emploi local" });
  await expect(panel).toContainText(/offres · Rennes Métropole/);
  const slow = page.waitForRequest((r) => r.url().includes('/api/v1/marche') && r.url().includes('commune=35288'));
  await market.evaluate((el) => el.setAttribute('commune', '35288'));
  await slow;
  await market.evaluate((el) => el.setAttribute('commune', '35047'));
  await expect(panel).toContainText(/offres · Bruz/);
  // Saint-Malo's answer arrives after Bruz's: the panel stays on Bruz.
  await page.waitForTimeout(2000);
  await expect(panel).toContainText(/offres · Bruz/);
  await expect(panel).not.toContainText('Saint-Malo');
});

test('when the proxy cannot answer, the error links to the same search on francetravail.fr', async ({ page }) => {
  const city = await openCity(page);
  await page.route('**/api/v1/search**', (route) => route.abort('connectionrefused'));
  await city.getByLabel('Métier, mots-clés').fill('boulanger');
  await city.getByRole('button', { name: 'Rechercher' }).click();
  const link = city.getByRole('alert').getByRole('link', { name: 'Voir la même recherche sur francetravail.fr' });
  await expect(link).toHaveAttribute('href', 'https://candidat.francetravail.fr/offres/recherche?motsCles=boulanger&lieux=35238&rayon=10');
});

test('the host page keeps its own parameters, fragment and links', async ({ page }) => {
  await page.goto(`${hostOrigin}/residents.html?page-du-site=emploi#haut`);
  const city = page.locator('#ville');
  await expect(city.getByTestId('offer').first()).toBeVisible();
  await city.getByLabel('Rayon').selectOption('5');
  await expect.poll(() => new URL(page.url()).searchParams.get('oe-ville')).toContain('rayon=5');
  const url = new URL(page.url());
  expect(url.searchParams.get('page-du-site')).toBe('emploi');
  expect(url.hash).toBe('#haut');
  expect(url.pathname).toBe('/residents.html');
});

test('keyboard only: search, filter, open and close an offer, load more', async ({ page }) => {
  await page.goto(`${hostOrigin}/mairie.html`);
  const widget = page.locator('offres-emploi');
  await expect(widget.getByTestId('offer').first()).toBeVisible();
  const focused = () => page.evaluate(() => {
    const el = document.activeElement.shadowRoot?.activeElement;
    return el ? `${el.tagName.toLowerCase()}#${el.id}|${el.textContent.trim().slice(0, 40)}` : document.activeElement.tagName;
  });
  // Tab from the page into the widget: the keyword field comes first.
  await page.keyboard.press('Tab');
  expect(await focused()).toMatch(/^input#oe-keywords/);
  await page.keyboard.type('agent');
  await page.keyboard.press('Enter');
  await expect(widget.getByRole('combobox', { name: 'Métier, mots-clés' })).toHaveValue('agent');
  await expect(widget.getByRole('status')).not.toHaveText(/^Recherche/);
  // Submit, radius, sort, page size, then the filter disclosure.
  for (const expected of [/^button#\|Rechercher/, /^input#oe-lieu/, /^select#oe-rayon/, /^select#oe-tri/, /^select#oe-par_page/, /^summary#\|Filtres/]) {
    await page.keyboard.press('Tab');
    expect(await focused()).toMatch(expected);
  }
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  expect(await focused()).toMatch(/^input#oe-contrat-/);
  await page.keyboard.press('Space');
  await expect(widget.getByTestId('chips')).toBeVisible();
  // On to the first card's title, which opens the detail.
  for (let i = 0; i < 40 && !(await focused()).startsWith('button#|'); i += 1) {
    await page.keyboard.press('Tab');
    if ((await focused()).includes('oe-card') || (await page.evaluate(() => document.activeElement.shadowRoot?.activeElement?.className)) === 'oe-card__open') break;
  }
  while ((await page.evaluate(() => document.activeElement.shadowRoot?.activeElement?.className)) !== 'oe-card__open') {
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Enter');
  await expect(widget.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(widget.getByRole('dialog')).toBeHidden();
  expect(await page.evaluate(() => document.activeElement.shadowRoot?.activeElement?.className)).toBe('oe-card__open');
});

test('axe-core finds no WCAG 2.1 AA violation in any state', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto(`${hostOrigin}/residents.html`);
  const city = page.locator('#ville');
  // Initial (before the first answer is painted, the form is already there).
  await expect(city.getByRole('search')).toBeVisible();
  expect(await axeViolations(page, '#ville')).toEqual([]);
  await expect(city.getByTestId('offer').first()).toBeVisible();
  expect(await axeViolations(page, '#ville'), 'results').toEqual([]);
  await city.getByText('Filtres', { exact: true }).click();
  await city.getByRole('checkbox', { name: /^CDI/ }).check();
  await expect(city.getByTestId('chips')).toBeVisible();
  expect(await axeViolations(page, '#ville'), 'filters open').toEqual([]);
  await city.getByTestId('offer').first().getByRole('heading').getByRole('button').click();
  await expect(city.getByRole('dialog').getByTestId('apply')).toBeVisible();
  expect(await axeViolations(page, '#ville'), 'detail open').toEqual([]);
  await page.keyboard.press('Escape');
  await city.getByLabel('Métier, mots-clés').fill('astronaute');
  await city.getByRole('button', { name: 'Rechercher' }).click();
  await expect(city.getByTestId('empty')).toBeVisible();
  expect(await axeViolations(page, '#ville'), 'empty').toEqual([]);
  await page.route('**/api/v1/search**', (route) => route.abort('connectionrefused'));
  await city.getByRole('button', { name: 'Rechercher' }).click();
  await expect(city.getByRole('alert')).toBeVisible();
  expect(await axeViolations(page, '#ville'), 'error').toEqual([]);
  for (const theme of ['sombre', 'contraste', 'institutionnel']) {
    await page.unroute('**/api/v1/search**');
    await page.locator('#metropole').evaluate((el, t) => el.setAttribute('theme', t), theme);
    await expect(page.locator('#metropole').getByTestId('offer').first()).toBeVisible();
    expect(await axeViolations(page, '#metropole'), `theme ${theme}`).toEqual([]);
  }
});

test('screenshots at 320, 768 and 1280 px, with no horizontal scroll', async ({ page }) => {
  for (const width of [320, 768, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    const city = await openCity(page);
    await city.getByText('Filtres', { exact: true }).click();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${width} px`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `tests/artifacts/screenshots/resultats-${width}.png`, fullPage: false });
    await city.getByTestId('offer').first().getByRole('heading').getByRole('button').click();
    await expect(city.getByRole('dialog').getByTestId('apply')).toBeVisible();
    await page.screenshot({ path: `tests/artifacts/screenshots/detail-${width}.png` });
  }
});

// RGAA 10.12 (WCAG 1.4.12): with the text spacing a reader's style sheet may impose (line
// height 1.5, paragraphs 2 em apart, letters 0.12 em, words 0.16 em), on a 320 px phone, nothing
// is cut: no horizontal scroll, and no text overflows the box that holds it.
test('text spacing raised as RGAA 10.12 says loses no content at 320 px', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 900 });
  const city = await openCity(page);
  const clipped = await city.evaluate((el) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
      word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }`);
    el.shadowRoot.adoptedStyleSheets = [...el.shadowRoot.adoptedStyleSheets, sheet];
    const cut = [];
    for (const node of el.shadowRoot.querySelectorAll('button, a, label, .oe-tag, .oe-status, .oe-card__title, .oe-chip')) {
      const style = getComputedStyle(node);
      const hides = ['hidden', 'clip'].includes(style.overflowX) || ['hidden', 'clip'].includes(style.overflowY);
      if (hides && (node.scrollWidth > node.clientWidth + 1 || node.scrollHeight > node.clientHeight + 1)) {
        cut.push(`${node.className || node.tagName}: ${node.textContent.trim().slice(0, 40)}`);
      }
    }
    return cut;
  });
  expect(clipped).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await city.getByTestId('offer').first().getByRole('heading').getByRole('button').click();
  await expect(city.getByRole('dialog').getByTestId('apply')).toBeVisible();
  const dialogOverflow = await city.getByRole('dialog').evaluate((d) => d.scrollWidth - d.clientWidth);
  expect(dialogOverflow, 'the detail keeps its width').toBeLessThanOrEqual(1);
});

// RGAA 3.3 (WCAG 1.4.11) and 10.7: in every preset, the edges of the form fields and the focus
// outline stand out from the background by 3:1 at least, and the focused field shows its outline.
test('fields\' edges and the focus outline contrast 3:1 in every theme', async ({ page }) => {
  await page.goto(`${hostOrigin}/residents.html`);
  const city = page.locator('#ville');
  await expect(city.getByTestId('offer').first()).toBeVisible();
  for (const theme of [null, 'sombre', 'contraste', 'institutionnel']) {
    await city.evaluate((el, t) => (t ? el.setAttribute('theme', t) : el.removeAttribute('theme')), theme);
    await city.getByLabel('Métier, mots-clés').focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const measured = await city.evaluate((el) => {
      const rgb = (css) => css.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
      const lum = (css) => {
        const [r, g, b] = rgb(css).map((c) => {
          const s = c / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
      const root = el.shadowRoot;
      const bg = getComputedStyle(root.querySelector('.oe-root')).backgroundColor;
      const fields = [...root.querySelectorAll('.oe-input, .oe-select')]
        .map((f) => ({ id: f.id, ratio: ratio(getComputedStyle(f).borderTopColor, bg) }));
      const focused = root.activeElement;
      const style = getComputedStyle(focused);
      return {
        fields,
        focused: focused.id,
        outline: style.outlineStyle === 'none' ? 0 : ratio(style.outlineColor, bg),
      };
    });
    const label = theme ?? 'default';
    expect(measured.focused, label).toBe('oe-keywords');
    expect(measured.outline, `${label}: focus outline`).toBeGreaterThanOrEqual(3);
    for (const field of measured.fields) {
      expect(field.ratio, `${label}: ${field.id}`).toBeGreaterThanOrEqual(3);
    }
  }
});
