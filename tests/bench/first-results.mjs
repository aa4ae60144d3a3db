// Time from navigation start to the first results painted, in headless Chromium, for the widget
// and for a minimal hand-written page fetching the same results from the same proxy. Run by
// `cargo xtask bench` with the proxy and the host server already up; prints one JSON line.
//
// Usage: node tests/bench/first-results.mjs <host origin> <runs>
import { chromium } from '@playwright/test';

const [host, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 20);

// Polls every animation frame for the first result card, in the page or in any shadow root,
// and records when the frame that shows it was painted.
const probe = () => new Promise((resolve) => {
  const find = () => document.querySelector('[data-testid="offer"]')
    || document.querySelector('offres-emploi')?.shadowRoot?.querySelector('[data-testid="offer"]');
  const tick = () => {
    if (find()) requestAnimationFrame(() => resolve(performance.now()));
    else requestAnimationFrame(tick);
  };
  tick();
});

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
const results = { widget: [], plain: [] };
try {
  // Alternate the two pages so that noise hits both alike; a fresh context each time: a first
  // visit, nothing cached but what the proxy keeps.
  for (let i = 0; i < runs + 1; i += 1) {
    for (const kind of ['widget', 'plain']) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${host}/bench-${kind}.html`, { waitUntil: 'commit' });
      const ms = await page.evaluate(probe);
      if (i > 0) results[kind].push(ms); // The first round warms the proxy's cache.
      await context.close();
    }
  }
} finally {
  await browser.close();
}
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
console.log(JSON.stringify({
  measure: 'first_results', runs,
  widget_ms: median(results.widget), plain_ms: median(results.plain),
  widget_runs: results.widget.map(Math.round), plain_runs: results.plain.map(Math.round),
}));
