// France Travail's whole search (issue 27): work-study, beginners, weekly hours, level, salary,
// sector, employers committed to disabled workers, offers lacking candidates and origin, each
// set from the keyboard, shown as a chip, kept by a deep link and removed; work-study never
// sent with contract types (France Travail would OR them); badges on cards, in the detail, on
// the plain pages, in the print view and in the feed; the communes' preset pages; axe.
import { createRequire } from 'node:module';
import { test, expect } from '@playwright/test';
import { axeViolations } from './axe.mjs';
import { hostOrigin } from '../playwright.config.mjs';

const require = createRequire(import.meta.url);
const { parseFeed } = require('@rowanmanning/feed-parser');

/** Each new filter: its list's label, how many options down to go, the deep link's pair. */
const FILTERS = [
  ['Alternance', 1, 'alternance=true'],
  ['Expérience', 1, 'experience=D'],
  ['Heures par semaine, au moins', 3, 'heures_min=20'],
  ['Heures par semaine, au plus', 7, 'heures_max=35'],
  ['Statut', 1, 'qualification=non-cadre'],
  ['Salaire minimum', 1, 'salaire_min=1500'],
  ["Secteur d'activité", 1, 'secteurs=01'],
  ['Handicap', 1, 'handi_engage=true'],
  ['Candidats', 1, 'manque_candidats=true'],
  ['Offres publiées par', 1, 'origine=france-travail'],
];

async function openCity(page, query = '') {
  await page.goto(`${hostOrigin}/residents.html${query}`);
  const city = page.locator('#ville');
  await expect(city.getByTestId('offer').first()).toBeVisible();
  return city;
}

/** The text the active element inside the widget's shadow root shows. */
const focusedId = (page) => page.evaluate(() => document.activeElement.shadowRoot?.activeElement?.id ?? '');

test('each filter is set from the keyboard, shown as a chip, kept by a deep link and removed', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const city = await openCity(page);
  await city.getByText('Filtres', { exact: true }).click();
  const chips = city.getByRole('list', { name: 'Filtres actifs' }).getByRole('button');
  for (const [label, steps, pair] of FILTERS) {
    const list = city.getByLabel(label, { exact: true });
    await list.focus();
    expect(await focusedId(page)).toMatch(/^oe-/);
    for (let i = 0; i < steps; i += 1) await page.keyboard.press('ArrowDown');
    await expect.poll(() => new URL(page.url()).searchParams.get('oe-ville') ?? '', { message: label }).toContain(pair);
  }
  // The period came with the salary; every filter is a chip (experience says its value alone).
  expect(new URL(page.url()).searchParams.get('oe-ville')).toContain('periode_salaire=mois');
  await expect(chips).toHaveCount(FILTERS.length);
  await expect(city.getByRole('button', { name: /Retirer le filtre : Salaire minimum : 1\s500 € par mois/ })).toBeVisible();
  await expect(city.getByRole('button', { name: 'Retirer le filtre : Débutant accepté' })).toBeVisible();

  // A shared link gives the same lists.
  const shared = page.url();
  const fresh = await page.context().newPage();
  await fresh.goto(shared);
  const again = fresh.locator('#ville');
  await expect(again.getByTestId('chips')).toBeVisible();
  await expect(again.getByRole('list', { name: 'Filtres actifs' }).getByRole('button')).toHaveCount(FILTERS.length);
  await again.getByText(/^Filtres/).first().click();
  await expect(again.getByLabel('Statut', { exact: true })).toHaveValue('non-cadre');
  await expect(again.getByLabel("Secteur d'activité", { exact: true })).toHaveValue('01');
  await expect(again.getByLabel('Période du salaire', { exact: true })).toHaveValue('mois');
  await fresh.close();

  // Each chip removes its own filter, from the keyboard.
  for (let left = FILTERS.length; left > 0; left -= 1) {
    await chips.first().focus();
    await page.keyboard.press('Enter');
    await expect(chips).toHaveCount(left - 1);
  }
  await expect(city.getByTestId('chips')).toBeHidden();
  expect(new URL(page.url()).searchParams.get('oe-ville') ?? '').not.toMatch(/alternance|salaire|secteurs|handi|manque|origine/);
  expect(errors).toEqual([]);
});

test('work-study replaces the contract types: no request ever asks for both', async ({ page }) => {
  const asked = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/search')) asked.push(new URL(r.url()).searchParams); });
  const city = await openCity(page);
  await city.getByText('Filtres', { exact: true }).click();
  const note = city.getByText(/L'alternance remplace les types de contrat/);
  await expect(note).toBeHidden();
  await city.getByRole('checkbox', { name: /^CDI( \(|$)/ }).check();
  await expect(city.getByRole('button', { name: 'Retirer le filtre : CDI' })).toBeVisible();
  // The work-study option counts apprenticeship and professionalisation only without contracts.
  const study = city.getByLabel('Alternance', { exact: true });
  await expect(study.locator('option[value="true"]')).not.toHaveText(/\(\d/);
  await study.selectOption('true');
  await expect(city.getByRole('checkbox', { name: /^CDI( \(|$)/ })).not.toBeChecked();
  await expect(note).toBeVisible();
  await expect(city.getByRole('button', { name: 'Retirer le filtre : CDI' })).toBeHidden();
  await expect(study.locator('option[value="true"]')).toHaveText(/\(\d/);
  // Every card is a work-study offer, and says so.
  const badges = city.getByTestId('offer').first().getByRole('list', { name: 'Points à noter' });
  await expect(badges.getByText('Alternance', { exact: true })).toBeVisible();
  // A contract type chosen again ends work-study.
  await city.getByRole('checkbox', { name: /^CDD( \(|$)/ }).check();
  await expect(study).toHaveValue('');
  await expect(note).toBeHidden();
  await expect.poll(() => asked.length).toBeGreaterThan(2);
  for (const params of asked) {
    expect(params.has('alternance') && params.has('types_contrat'), params.toString()).toBe(false);
  }
});

test('badges and weekly hours show on the cards, in the detail, in the print view and in the feed', async ({ page, request }) => {
  const city = await openCity(page);
  await city.getByText('Filtres', { exact: true }).click();
  await city.getByLabel('Alternance', { exact: true }).selectOption('true');
  const card = city.getByTestId('offer').first();
  await expect(card.getByTestId('badges')).toContainText('Alternance');
  await expect(card.getByTestId('badges')).toContainText('Débutant accepté');
  await expect(card.locator('.oe-tag').nth(1)).toHaveText(/^Temps plein, 3\d h\/semaine$/);
  await card.getByRole('heading').getByRole('button').click();
  const dialog = city.getByRole('dialog');
  await expect(dialog.getByRole('list', { name: 'Points à noter' })).toContainText('Alternance');
  await page.keyboard.press('Escape');

  // The print view and the feed of the same search.
  const query = 'site=demo&commune=35238&rayon=30&alternance=true';
  await page.goto(`/offres/imprimer?${query}&par_page=10&page=1`);
  const posted = page.getByTestId('posted');
  await expect(posted.first()).toBeVisible();
  for (const badges of await page.getByTestId('print-badges').allTextContents()) expect(badges).toContain('Alternance');
  expect(await page.getByTestId('print-badges').count()).toBe(await posted.count());
  const feed = parseFeed(await (await request.get(`/api/v1/flux?${query}`)).text());
  expect(feed.items.length).toBeGreaterThan(0);
  for (const item of feed.items) expect(item.description ?? item.content).toContain('Alternance');
});

test('the preset pages of the demo commune search for their public, and residents can widen them', async ({ page }) => {
  for (const [path, chip, badge] of [
    ['/jeunes.html', /Alternance : Alternance uniquement/, 'Alternance'],
    ['/emplois-accessibles.html', /Handicap : Employeurs handi-engagés/, /Employeur handi-engagé|Entreprise adaptée/],
    ['/metiers-qui-recrutent.html', /Candidats : Offres qui manquent de candidats/, 'Manque de candidats'],
  ]) {
    await page.goto(path);
    const widget = page.locator('offres-emploi');
    await expect(widget.getByTestId('offer').first()).toBeVisible();
    await expect(widget.getByRole('button', { name: chip })).toBeVisible();
    for (const badges of await widget.getByTestId('offer').getByTestId('badges').allTextContents()) {
      expect(badges).toMatch(badge);
    }
    expect(await widget.getByTestId('offer').getByTestId('badges').count()).toBe(await widget.getByTestId('offer').count());
  }
  // A resident removes the preset: the search widens.
  const widget = page.locator('offres-emploi');
  const narrow = Number((await widget.getByRole('status').innerText()).replace(/\D/g, '').replace(/30$/, ''));
  await widget.getByRole('button', { name: /Candidats : Offres qui manquent/ }).click();
  await expect(widget.getByTestId('chips')).toBeHidden();
  await expect.poll(async () => Number((await widget.getByRole('status').innerText()).replace(/\D/g, '').replace(/30$/, ''))).toBeGreaterThan(narrow);
  expect(await axeViolations(page, 'offres-emploi'), 'preset page').toEqual([]);
});

test('the configurator offers the presets, and work-study takes the contract types off', async ({ page }) => {
  await page.goto('/configurateur.html');
  const code = page.locator('#code');
  await page.locator('input[name="contrat"][value="CDI"]').check();
  await expect(code).toHaveValue(/types-contrat="CDI"/);
  await page.getByLabel('Page pour un public').selectOption('alternance');
  await expect(page.locator('input[name="contrat"][value="CDI"]')).toBeDisabled();
  await expect(code).toHaveValue(/alternance="true"/);
  await expect(code).not.toHaveValue(/types-contrat/);
  const preview = page.locator('#apercu');
  await expect(preview.getByRole('button', { name: /Alternance : Alternance uniquement/ })).toBeVisible();
  await page.getByLabel('Page pour un public').selectOption('handi-engage');
  await expect(code).toHaveValue(/handi-engage="true"/);
  await expect(page.locator('input[name="contrat"][value="CDI"]')).toBeEnabled();
});

test.describe('with JavaScript disabled', () => {
  test.use({ javaScriptEnabled: false });

  test('the plain page takes the filters from its form and shows the badges', async ({ page }) => {
    await page.goto('/offres?site=demo&commune=35238&rayon=30');
    const widget = page.locator('offres-emploi');
    await widget.locator('summary', { hasText: 'Filtres' }).click();
    await widget.getByLabel('Alternance', { exact: true }).selectOption('true');
    await widget.getByLabel('Heures par semaine, au moins', { exact: true }).selectOption('20');
    await widget.getByRole('button', { name: 'Appliquer les filtres' }).click();
    await expect(page).toHaveURL(/alternance=true/);
    await expect(page).toHaveURL(/heures_min=20/);
    await expect(widget.getByTestId('chips')).toContainText('Alternance uniquement');
    await expect(widget.getByTestId('chips')).toContainText('au moins : 20 h');
    const cards = widget.getByTestId('offer');
    await expect(cards.first()).toBeVisible();
    for (const badges of await cards.getByTestId('badges').allTextContents()) expect(badges).toContain('Alternance');
    expect(await cards.getByTestId('badges').count()).toBe(await cards.count());
    // The salary list offers a month's amounts until another period is chosen.
    await expect(widget.getByLabel('Salaire minimum', { exact: true }).locator('option').nth(1)).toHaveText(/1\s500 € par mois/);
  });
});

test.describe('axe on the plain page (its CSP lets no injected script run)', () => {
  test.use({ bypassCSP: true });

  test('the plain page with filters, badges and the filter panel open has no WCAG 2.1 AA violation', async ({ page }) => {
  await page.goto('/offres?site=demo&commune=35238&rayon=30&alternance=true&heures_min=20&page=1');
  await page.locator('offres-emploi').locator('summary').click();
  await expect(page.locator('offres-emploi').getByTestId('badges').first()).toBeVisible();
  expect(await axeViolations(page), 'plain page with filters').toEqual([]);
  });
});

test('axe finds nothing with every filter listed and the badges shown, at 320 px without scrolling sideways', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 800 });
  const city = await openCity(page, '?oe-ville=alternance%3Dtrue%26handi_engage%3Dtrue');
  await city.getByText(/^Filtres/).first().click();
  await expect(city.getByTestId('chips')).toBeVisible();
  expect(await axeViolations(page, '#ville')).toEqual([]);
  const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(sideways).toBe(false);
});
