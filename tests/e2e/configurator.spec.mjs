// The configurator (demo-site/configurateur.html): settings update a live preview, and the
// snippet it gives, pasted into a blank page of another site, reproduces that preview.
import { test, expect } from '@playwright/test';
import { hostOrigin } from '../playwright.config.mjs';

/** What a widget shows and how it looks, to compare two of them. */
async function look(widget) {
  await expect(widget.getByTestId('offer').first()).toBeVisible();
  await expect(widget.getByRole('status')).not.toHaveText(/^Recherche/);
  return widget.evaluate((el) => {
    const root = el.shadowRoot;
    const css = (selector, prop) => getComputedStyle(root.querySelector(selector))[prop];
    return {
      status: root.querySelector('[role="status"]').textContent,
      offers: [...root.querySelectorAll('[data-testid="offer"] .oe-card__title')].map((h) => h.textContent),
      background: css('.oe-root', 'backgroundColor'),
      button: css('button[type="submit"]', 'backgroundColor'),
      market: Boolean(root.querySelector('[data-testid="market"]:not([hidden])')),
      place: Boolean(root.querySelector('#oe-lieu')),
    };
  });
}

test('the configurator previews the settings and its snippet reproduces the preview', async ({ page, context, request }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/configurateur.html');
  const preview = page.locator('#apercu');
  await expect(preview.getByTestId('offer').first()).toBeVisible();
  // A place from the suggestions.
  await page.getByRole('combobox', { name: /Commune, code postal/ }).fill('saint-malo');
  await page.getByRole('option', { name: /^Saint-Malo/ }).first().click();
  await expect(page.locator('#territoire')).toHaveText('Saint-Malo (commune 35288)');
  await page.getByLabel('Rayon autour de la commune').selectOption('20');
  await page.locator('#reglages').getByLabel('Intérim').check();
  await page.getByLabel('Thème').selectOption('sombre');
  await page.getByLabel("Afficher le marché de l'emploi local").check();
  await page.getByLabel('Les habitants ne peuvent pas changer de lieu').check();
  await page.locator('#accent').fill('#ffb000');
  await page.getByLabel('Utiliser cette couleur').check();
  await expect(page.locator('#apercu')).toHaveAttribute('commune', '35288');
  const code = await page.getByLabel('Code à coller : script et élément').inputValue();
  expect(code).toContain('commune="35288" rayon="20" types-contrat="MIS" theme="sombre" marche verrouiller-lieu');
  expect(code).toContain('style="--oe-color-accent: #ffb000"');
  // Without JavaScript, the link leads to the widget's plain page with the same settings.
  expect(code).toMatch(/<noscript><a href="http:\/\/127\.0\.0\.1:\d+\/offres\?site=demo&amp;commune=35288&amp;rayon=20&amp;types-contrat=MIS&amp;theme=sombre&amp;marche=&amp;verrouiller-lieu=&amp;--oe-color-accent=%23ffb000">/);
  await expect(page.getByLabel('Directives CSP')).toHaveValue(/script-src 'self' http:\/\/127\.0\.0\.1:\d+ 'wasm-unsafe-eval';\nconnect-src http:\/\/127\.0\.0\.1:\d+;/);
  const expected = await look(page.locator('#apercu'));
  expect(expected.status).toMatch(/à moins de 20 km de Saint-Malo$/);
  expect(expected.market).toBe(true);
  expect(expected.place).toBe(false);
  expect(expected.button).toBe('rgb(255, 176, 0)');

  // Pasted into a blank page of another site (tests/host-server.mjs serves it).
  await request.put(`${hostOrigin}/colle.html`, { data: code });
  const blank = await context.newPage();
  await blank.goto(`${hostOrigin}/colle.html`);
  const pasted = await look(blank.locator('offres-emploi'));
  expect(pasted).toEqual(expected);
  expect(errors).toEqual([]);
});

test('the configurator gives an iframe snippet that shows the same offers in the same look', async ({ page, context, request }) => {
  await page.goto('/configurateur.html');
  await expect(page.locator('#apercu').getByTestId('offer').first()).toBeVisible();
  await page.getByLabel('Thème').selectOption('sombre');
  await page.getByLabel('Mots-clés (facultatif)').fill('vendeur');
  const expected = await look(page.locator('#apercu'));
  // The tabs, by keyboard: the iframe tab shows its own code.
  await page.getByRole('tab', { name: 'Script et élément' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Cadre (iframe)' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Cadre (iframe)' })).toHaveAttribute('aria-selected', 'true');
  const code = page.getByLabel('Code à coller : cadre');
  await expect(code).toBeVisible();
  await expect(page.getByLabel('Code à coller : script et élément')).toBeHidden();
  const snippet = await code.inputValue();
  expect(snippet).toMatch(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/offres\?site=demo&amp;commune=35238&amp;rayon=10&amp;mots-cles=vendeur&amp;theme=sombre"/);
  expect(snippet).toContain('/widget/cadre.js');
  // RGAA 2.1 and 2.2: the frame has a title that says what it holds.
  expect(snippet).toContain('title="Offres d\'emploi"');

  await request.put(`${hostOrigin}/colle.html`, { data: snippet });
  const blank = await context.newPage();
  await blank.goto(`${hostOrigin}/colle.html`);
  const framed = blank.frameLocator('iframe').locator('offres-emploi');
  const inside = await look(framed);
  expect(inside.status).toBe(expected.status);
  expect(inside.offers).toEqual(expected.offers);
  expect(inside.background).toBe(expected.background);
});

test('the configurator suggests métiers and puts the chosen one on the element', async ({ page }) => {
  await page.goto('/configurateur.html');
  const preview = page.locator('#apercu');
  await expect(preview.getByTestId('offer').first()).toBeVisible();
  const field = page.getByRole('combobox', { name: /^Métier \(facultatif/ });
  await field.fill('aide soi');
  await expect(page.getByRole('listbox', { name: 'Métiers proposés' }).getByRole('option').first())
    .toHaveText('Aide-soignant / Aide-soignante (J1501)');
  await field.press('ArrowDown');
  await field.press('Enter');
  await expect(field).toHaveValue('Aide-soignant / Aide-soignante');
  await expect(page.locator('#code')).toHaveValue(/<offres-emploi [^>]*metier="J1501"/);
  await expect(page.locator('#apercu')).toHaveAttribute('metier', 'J1501');
  await expect(page.locator('#apercu').getByRole('button', { name: /Métier : Aide-soignant/ })).toBeVisible();
  // Emptying the field drops it.
  await field.fill('');
  await expect(page.locator('#code')).not.toHaveValue(/metier=/);
});

// Issue 28 (RGAA 3.2): a custom main colour is checked where the widget writes with it, and the
// result shows next to the field; a colour that reads too faintly is refused at copy time, with
// the reason, until it is changed.
test('the configurator shows the main colour\'s contrast and will not copy a faint one', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/configurateur.html');
  await expect(page.locator('#apercu').getByTestId('offer').first()).toBeVisible();
  const said = page.locator('#contraste');
  const colour = page.getByLabel('Couleur principale');
  await page.getByLabel('Utiliser cette couleur').check();
  await expect(said).toHaveText(/^Contraste suffisant : 1\d,\d:1/);
  await expect(colour).not.toHaveAttribute('aria-invalid');

  await colour.fill('#ffd700');
  await expect(said).toHaveText(/^Contraste insuffisant : 1,\d:1 avec les encadrés, pour 4,5:1 demandés/);
  await expect(said).toBeVisible();
  await expect(colour).toHaveAttribute('aria-invalid', 'true');
  await page.evaluate(() => navigator.clipboard.writeText('avant'));
  await page.getByRole('button', { name: 'Copier le code' }).click();
  await expect(page.locator('#copie')).toHaveText(/^Code non copié : la couleur principale ne se lit pas assez/);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('avant');

  // In the dark theme, a light colour reads well on the dark background.
  await page.getByLabel('Thème').selectOption('sombre');
  await expect(said).toHaveText(/^Contraste suffisant/);
  await page.getByRole('button', { name: 'Copier le code' }).click();
  await expect(page.locator('#copie')).toHaveText('Code copié.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('--oe-color-accent: #ffd700');
});
