// Issue 29: the territory's coming job events (with their calendar files and feed, read back by a
// real iCalendar parser) and the official labour-market figures, in the widget, without
// JavaScript and on the notice-board poster.
import ICAL from 'ical.js';
import { test, expect } from '@playwright/test';
import { axeViolations } from './axe.mjs';

const METROPOLE = '/intercommunalite.html';
const PLAIN = '/offres?site=demo&epci=243500139&marche&evenements';

/** The VEVENTs of an iCalendar text, parsed by ical.js. */
function vevents(text) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
}

test('the events list links to registration and to a calendar file per event', async ({ page, request }) => {
  await page.goto(METROPOLE);
  const w = page.locator('#metropole');
  const events = w.getByTestId('events');
  await expect(events.getByRole('heading', { name: /Événements emploi à venir · Rennes Métropole/ })).toBeVisible();
  const items = events.getByTestId('event');
  await expect(items.first()).toBeVisible();
  const count = await items.count();
  expect(count).toBeGreaterThan(0);
  expect(count).toBeLessThanOrEqual(20);
  const first = items.first();
  const title = (await first.locator('.oe-event__title').textContent()).trim();
  // A date written out, with its weekday and hours.
  await expect(first.locator('time')).toHaveText(/^(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d{1,2} \S+ 20\d\d, \d{1,2} h \d\d – \d{1,2} h \d\d$/);
  await expect(first.getByRole('link', { name: `S'inscrire : ${title}` })).toHaveAttribute('href', /^https:\/\/mesevenementsemploi\.francetravail\.fr\//);
  await expect(events).toContainText('Source : France Travail, Mes événements emploi.');

  // The event's calendar file, read back: one event, its title, start and end.
  const href = await first.getByRole('link', { name: `Ajouter à mon agenda : ${title}` }).getAttribute('href');
  const file = await request.get(href);
  expect(file.status()).toBe(200);
  expect(file.headers()['content-type']).toMatch(/^text\/calendar/);
  const one = vevents(await file.text());
  expect(one).toHaveLength(1);
  expect(one[0].summary).toBe(title);
  expect(one[0].endDate.compare(one[0].startDate)).toBe(1);
  const datetime = await first.locator('time').getAttribute('datetime');
  expect(one[0].startDate.toJSDate().toISOString().slice(0, 16)).toBe(datetime.slice(0, 16));

  // The territory's feed: every listed event.
  const feed = await request.get(await events.getByTestId('events-feed').getAttribute('href'));
  expect(vevents(await feed.text())).toHaveLength(count);
});

test('the market panel shows the official figures with their source and a table', async ({ page }) => {
  await page.goto(METROPOLE);
  const w = page.locator('#metropole');
  const figures = w.getByTestId('figures');
  await expect(figures.getByRole('heading', { name: 'Chiffres officiels' })).toBeVisible();
  await expect(figures).toContainText("Demandeurs d'emploi (catégorie A)");
  await expect(figures).toContainText(/Source : France Travail – Dares · .+ \(intercommunalité\) · \d\S* trimestre 20\d\d · mis à jour le/);
  // The chart is a picture named by its caption; the table says the same for every reader.
  await expect(figures.getByRole('img', { name: /Difficulté de recrutement/ })).toBeVisible();
  const table = figures.getByRole('table', { name: /Difficulté de recrutement, de 1 \(faible\) à 5/ });
  await expect(table).toBeVisible();
  const rows = table.locator('tbody tr');
  expect(await rows.count()).toBeGreaterThan(0);
  await expect(rows.first().locator('td')).toHaveText(/^[1-5] \/ 5 \((faible|modérée|moyenne|forte|très forte)\)$/);
});

test('the panels are reached with the keyboard alone and pass axe', async ({ page }) => {
  await page.goto(METROPOLE);
  const w = page.locator('#metropole');
  await expect(w.getByTestId('event').first()).toBeVisible();
  await expect(w.getByTestId('figures')).toBeVisible();
  const register = w.getByTestId('event').first().locator('.oe-event__register');
  let reached = false;
  for (let i = 0; i < 200 && !reached; i += 1) {
    await page.keyboard.press('Tab');
    reached = await register.evaluate((a) => a.getRootNode().activeElement === a);
  }
  expect(reached).toBe(true);
  await page.keyboard.press('Tab');
  await expect(w.getByTestId('event').first().locator('.oe-event__ics')).toBeFocused();
  expect(await axeViolations(page, '#metropole')).toEqual([]);
});

/** The URLs of the module's files the page asks for: the main module and its chunks. */
const moduleFiles = (page) => {
  const files = new Map();
  page.on('request', (r) => {
    const m = new URL(r.url()).pathname.match(/\/(emploi-widget_bg|split_[a-z_]+|chunk_\d+)-[0-9a-f]{16}\.wasm$/);
    if (m) files.set(m[1], r.url());
  });
  return files;
};

test('the panels are chunks of their own: the main module carries neither their code nor their texts', async ({ page, request }) => {
  const files = moduleFiles(page);
  await page.goto(METROPOLE);
  const w = page.locator('#metropole');
  // The server's first view shows the panels at once; the module takes over with their chunks.
  await expect.poll(() => [...files.keys()]).toEqual(expect.arrayContaining(['emploi-widget_bg', 'split_market', 'split_agenda']));
  const bytes = async (name) => Buffer.from(await (await request.get(files.get(name))).body());
  const main = await bytes('emploi-widget_bg');
  const chunks = await Promise.all([...files.keys()].filter((n) => n !== 'emploi-widget_bg').map(bytes));
  // Texts only the panels show: in a chunk, not in the module every widget loads.
  for (const text of ['Événements emploi à venir', "Demandeurs d'emploi (catégorie A)", "Le marché de l'emploi local"]) {
    expect(main.includes(text), text).toBe(false);
    expect(chunks.some((c) => c.includes(text)), text).toBe(true);
  }
  // A text of the search itself, for contrast: in the main module.
  expect(main.includes('Offres d\'emploi près de chez vous')).toBe(true);
});

test('without a first view, the panels load their chunks and fetch their answers after the takeover', async ({ page }) => {
  const calls = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (/\/api\/v1\/(marche|indicateurs|evenements)$/.test(path)) calls.push(path.split('/').pop());
  });
  await page.route('**/api/v1/vue?*', (route) => route.abort());
  await page.goto(METROPOLE);
  const w = page.locator('#metropole');
  await expect(w.getByRole('heading', { name: /Événements emploi à venir · Rennes Métropole/ })).toBeVisible();
  await expect(w.getByTestId('figures')).toContainText("Demandeurs d'emploi (catégorie A)");
  await expect(w.getByTestId('offer').first()).toBeVisible();
  expect(calls.sort()).toEqual(['evenements', 'indicateurs', 'marche']);
});

test('a panel whose chunk cannot be fetched says so and tries again on demand', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('**/api/v1/vue?*', (route) => route.abort());
  // The events panel's chunk fails, as on a connection that drops.
  await page.route('**/split_agenda-*.wasm', (route) => route.abort());
  await page.goto(METROPOLE);
  const w = page.locator('#metropole');
  await expect(w.getByTestId('figures')).toContainText("Demandeurs d'emploi (catégorie A)");
  const failed = w.getByTestId('panel-error');
  await expect(failed).toHaveCount(1);
  await expect(failed).toHaveAttribute('role', 'alert');
  await expect(failed).toContainText('Impossible de joindre le service');
  // Back online: the button fetches the chunk again and the panel comes.
  await page.unroute('**/split_agenda-*.wasm');
  await failed.getByRole('button', { name: 'Réessayer' }).click();
  await expect(w.getByRole('heading', { name: /Événements emploi à venir · Rennes Métropole/ })).toBeVisible();
  await expect(failed).toHaveCount(0);
  expect(errors).toEqual([]);
});

test.describe('with JavaScript disabled', () => {
  test.use({ javaScriptEnabled: false });

  test('the plain page lists the events and the figures', async ({ page }) => {
    await page.goto(PLAIN);
    const widget = page.locator('offres-emploi');
    await expect(widget.getByTestId('event').first()).toBeVisible();
    await expect(widget.getByTestId('tension-table')).toBeVisible();
  });

  test('the events poster is laid out for print', async ({ page }) => {
    await page.goto(PLAIN);
    const poster = await page.locator('offres-emploi').getByTestId('events-poster').getAttribute('href');
    await page.goto(poster);
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Événements emploi à venir · Rennes Métropole');
    const posted = page.getByTestId('posted-event');
    expect(await posted.count()).toBeGreaterThan(0);
    await expect(posted.first().locator('.oe-print__code')).toHaveAttribute('aria-label', /^Code QR de la page d'inscription : https:\/\/mesevenementsemploi\.francetravail\.fr\//);
    await expect(page.getByTestId('source')).toContainText('Mes événements emploi');
    // The way back is for the screen only.
    await expect(page.locator('.oe-print__actions')).toBeHidden();
  });
});

test.describe('plain pages, axe', () => {
  // axe is injected as a script, which the pages' own CSP refuses.
  test.use({ bypassCSP: true });

  test('the plain page with the panels and the events poster have no WCAG 2.1 AA violation', async ({ page }) => {
    await page.goto(PLAIN);
    await expect(page.locator('offres-emploi').getByTestId('event').first()).toBeVisible();
    expect(await axeViolations(page), 'plain page').toEqual([]);
    await page.goto(await page.locator('offres-emploi').getByTestId('events-poster').getAttribute('href'));
    expect(await axeViolations(page), 'poster').toEqual([]);
  });
});
