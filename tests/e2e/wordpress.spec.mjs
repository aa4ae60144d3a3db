// The WordPress plugin (widget/wordpress/offres-emploi) on a real WordPress (Debian's package,
// started by `cargo xtask wordpress`): an editor, who may not publish scripts
// (DISALLOW_UNFILTERED_HTML, as on every multisite network), places the widget with the block,
// with the shortcode, and in iframe mode, publishes, and residents see the offers.
import { test, expect } from '@playwright/test';
import { wordpressOrigin } from '../playwright.config.mjs';

test.describe.configure({ timeout: 120_000 });

/** Logs in as the site's editor (not an administrator). */
async function logIn(page) {
  await page.goto(`${wordpressOrigin}/wp-login.php`);
  await page.locator('#user_login').fill('redaction');
  await page.locator('#user_pass').fill('redaction-mairie-2026');
  await page.locator('#wp-submit').click();
  await expect(page).toHaveURL(/\/wp-admin\//);
}

/** A new post in the block editor, its welcome guide closed, titled `title`. */
async function newPost(page, title) {
  await page.goto(`${wordpressOrigin}/wp-admin/post-new.php`);
  const guide = page.getByRole('dialog').getByRole('button', { name: /close/i });
  if (await guide.isVisible({ timeout: 5_000 }).catch(() => false)) await guide.click();
  await page.getByRole('textbox', { name: /add title/i }).fill(title);
}

/** Publishes the post and opens it as a visitor would. */
async function publishAndOpen(page, context) {
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByRole('region', { name: /editor publish/i }).getByRole('button', { name: 'Publish', exact: true }).click();
  const view = page.getByRole('region', { name: /editor publish/i }).getByRole('link', { name: /view post/i }).first();
  await expect(view).toBeVisible();
  const address = await view.getAttribute('href');
  const visitor = await context.browser().newPage();
  await visitor.goto(address);
  return visitor;
}

/** Types `text` in a new paragraph under the title. */
async function paragraph(page, text) {
  await page.getByRole('textbox', { name: /add title/i }).press('Enter');
  await page.keyboard.type(text);
}

test('an editor places the block, publishes, and the page shows the offers', async ({ page, context }) => {
  await logIn(page);
  await newPost(page, 'Les offres d\'emploi près de chez vous');
  // The control: the snippet pasted as HTML by this editor loses its script, as on every
  // multisite network; the plugin is what lets them place the widget.
  const pasted = await page.evaluate(() => window.wp.apiFetch({
    path: '/wp/v2/posts',
    method: 'POST',
    data: {
      title: 'Code collé',
      status: 'publish',
      content: '<script type="module" src="http://127.0.0.1/widget/offres-emploi.js"></script><offres-emploi site="demo"></offres-emploi>',
    },
  }));
  const stripped = await context.browser().newPage();
  await stripped.goto(pasted.link);
  await expect(stripped.getByRole('heading', { name: 'Code collé' })).toBeVisible();
  expect(await stripped.locator('script[src*="offres-emploi.js"]').count()).toBe(0);
  await stripped.close();

  await page.getByRole('button', { name: /toggle block inserter/i }).click();
  await page.getByRole('searchbox').fill('Offres');
  await page.getByRole('option', { name: /Offres d.emploi/ }).click();
  await expect(page.getByText('Job offers near the site\'s territory').first()).toBeVisible();
  // Its settings, in the sidebar.
  const commune = page.getByLabel('Commune (INSEE code)');
  if (!(await commune.isVisible())) await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await commune.fill('35238');
  await page.getByLabel('Radius (km)').fill('10');
  const visitor = await publishAndOpen(page, context);
  const widget = visitor.locator('offres-emploi');
  await expect(widget).toHaveAttribute('site', 'demo');
  await expect(widget).toHaveAttribute('commune', '35238');
  await expect(widget.getByTestId('offer').first()).toBeVisible({ timeout: 30_000 });
  // Without JavaScript, a link to the same search, in the site's language (French).
  const noscript = await visitor.locator('noscript').first().innerHTML();
  expect(noscript).toContain('/offres?site=demo');
  expect(noscript).toContain('Voir les offres d&#039;emploi (version sans JavaScript)');
  await visitor.close();
});

test('an editor places the shortcode, and then the iframe mode, and both show the offers', async ({ page, context }) => {
  await logIn(page);
  await newPost(page, 'Offres de vendeur');
  await paragraph(page, '[offres_emploi commune="35238" rayon="20" mots-cles="vendeur" titre="Vendeurs près de chez vous"]');
  let visitor = await publishAndOpen(page, context);
  const widget = visitor.locator('offres-emploi');
  await expect(widget).toHaveAttribute('mots-cles', 'vendeur');
  await expect(widget.getByRole('heading', { name: 'Vendeurs près de chez vous' })).toBeVisible({ timeout: 30_000 });
  await expect(widget.getByTestId('offer').first()).toBeVisible();
  await visitor.close();

  await newPost(page, 'Offres dans un cadre');
  await paragraph(page, '[offres_emploi affichage="iframe" commune="35238" rayon="10"]');
  visitor = await publishAndOpen(page, context);
  const frame = visitor.frameLocator('iframe[title="Offres d\'emploi"]');
  await expect(frame.locator('offres-emploi').getByTestId('offer').first()).toBeVisible({ timeout: 30_000 });
  // No script of the service in the page itself but the frame's height helper.
  expect(await visitor.locator('script[src*="offres-emploi.js"]').count()).toBe(0);
  await visitor.close();
});
