// Match by métier (issue 12): the keywords field suggests ROME métiers as the resident types,
// accents and case ignored; choosing one with the keyboard searches by its code (France
// Travail's own matching), shows a removable chip, survives the deep link, and axe finds nothing
// in the new states.
import { test, expect } from '@playwright/test';
import { axeViolations } from './axe.mjs';
import { hostOrigin } from '../playwright.config.mjs';

const count = async (status) => Number((await status.innerText()).split(' offre')[0].replace(/\D/g, ''));

test('a keyboard-only métier search: suggest, choose, chip, deep link, remove', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${hostOrigin}/residents.html`);
  const city = page.locator('#ville');
  const status = city.getByRole('status');
  await expect(city.getByTestId('offer').first()).toBeVisible();
  const before = await count(status);
  const tabTo = async (target) => {
    for (let i = 0; i < 60; i += 1) {
      if (await target.evaluate((e) => e.getRootNode().activeElement === e)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error('not reached by Tab');
  };

  const field = city.getByRole('combobox', { name: 'Métier, mots-clés' });
  await tabTo(field);
  // Upper case and an accent the label does not have: still found.
  await page.keyboard.type('AIDE SOÏ');
  const list = city.getByRole('listbox', { name: 'Métiers proposés' });
  const options = list.getByRole('option');
  await expect(options.first()).toHaveText('Aide-soignant / Aide-soignante');
  await expect(field).toHaveAttribute('aria-expanded', 'true');
  expect(await axeViolations(page, '#ville'), 'suggestions open').toEqual([]);
  // Escape closes without searching; typing again reopens.
  await page.keyboard.press('Escape');
  await expect(field).toHaveAttribute('aria-expanded', 'false');
  await expect(list).toBeHidden();
  await page.keyboard.type('g');
  await expect(options.first()).toHaveText('Aide-soignant / Aide-soignante');
  await page.keyboard.press('ArrowDown');
  await expect(field).toHaveAttribute('aria-activedescendant', 'oe-metier-0');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');

  // The search is by the métier's code: a chip, no free words, only its offers.
  const chip = city.getByRole('button', { name: 'Retirer le filtre : Métier : Aide-soignant / Aide-soignante' });
  await expect(chip).toBeVisible();
  await expect(field).toHaveValue('');
  await expect(list).toBeHidden();
  await expect.poll(() => new URL(page.url()).searchParams.get('oe-ville')).toContain('metier=J1501');
  await expect(status).toHaveText(/offres? à moins de 10 km de Rennes$/);
  const only = await count(status);
  expect(only).toBeGreaterThan(0);
  expect(only).toBeLessThan(before);
  const titles = await city.getByTestId('offer').locator('.oe-card__title').allInnerTexts();
  expect(titles.length).toBeGreaterThan(0);
  for (const t of titles) expect(t).toMatch(/^Aide-soignante?\b/);
  expect(await axeViolations(page, '#ville'), 'métier chip').toEqual([]);

  // The deep link reopens the same search, the chip named from the proxy's answer.
  const again = await page.context().newPage();
  await again.goto(page.url());
  const reopened = again.locator('#ville');
  await expect(reopened.getByRole('button', { name: 'Retirer le filtre : Métier : Aide-soignant / Aide-soignante' })).toBeVisible();
  await expect(reopened.getByRole('status')).toHaveText(await status.innerText());
  await again.close();

  // Removing the chip from the keyboard goes back to every offer.
  await tabTo(chip);
  await page.keyboard.press('Enter');
  await expect(chip).toBeHidden();
  await expect.poll(() => count(status)).toBe(before);
  await expect.poll(() => new URL(page.url()).searchParams.get('oe-ville') ?? '').not.toContain('metier=');
  expect(errors).toEqual([]);
});

test('Enter without a chosen métier searches the typed words', async ({ page }) => {
  await page.goto(`${hostOrigin}/residents.html`);
  const city = page.locator('#ville');
  await expect(city.getByTestId('offer').first()).toBeVisible();
  const field = city.getByRole('combobox', { name: 'Métier, mots-clés' });
  await field.focus();
  await page.keyboard.type('boulanger');
  await expect(city.getByRole('listbox', { name: 'Métiers proposés' }).getByRole('option').first()).toBeVisible();
  await page.keyboard.press('Enter');
  await expect.poll(() => new URL(page.url()).searchParams.get('oe-ville')).toContain('q=boulanger');
  await expect(field).toHaveValue('boulanger');
  await expect(field).toHaveAttribute('aria-expanded', 'false');
  await expect(city.locator('.oe-chip')).toHaveCount(0);
});

test('a webmaster sets the métier on the element, and the plain page keeps it', async ({ page }) => {
  await page.goto(`${hostOrigin}/residents.html`);
  const city = page.locator('#ville');
  await expect(city.getByTestId('offer').first()).toBeVisible();
  await city.evaluate((el) => el.setAttribute('metier', 'J1501'));
  await expect(city.getByRole('button', { name: /Métier : Aide-soignant \/ Aide-soignante/ })).toBeVisible();
  const plain = await page.context().newPage();
  await plain.goto(await city.evaluate((el) => {
    const link = el.shadowRoot.querySelector('a[href*="/offres/imprimer"]');
    const u = new URL(link.href);
    u.pathname = '/offres';
    return u.href;
  }));
  const widget = plain.locator('offres-emploi');
  await expect(widget.getByRole('link', { name: /Métier : Aide-soignant \/ Aide-soignante/ })).toBeVisible();
  for (const t of await widget.locator('.oe-card__title').allInnerTexts()) expect(t).toMatch(/^Aide-soignante?\b/);
  await plain.close();
});
