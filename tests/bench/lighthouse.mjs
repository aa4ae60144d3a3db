// Lighthouse (the npm package pinned in package.json), mobile, on one page: performance,
// accessibility and the metrics behind them, as medians of several runs. Run by
// `cargo xtask bench` with the proxy already serving the demo site; prints one JSON line.
//
// Usage: node tests/bench/lighthouse.mjs <url> <runs>
import { createRequire } from 'node:module';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const [url, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 5);
const { version } = createRequire(import.meta.url)('lighthouse/package.json');

const chrome = await chromeLauncher.launch({
  chromePath: '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const results = [];
try {
  for (let i = 0; i < runs; i += 1) {
    // Lighthouse's defaults: mobile form factor, simulated throttling, storage cleared each run.
    const { lhr } = await lighthouse(url, {
      port: chrome.port, output: 'json', logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'],
    });
    const audit = (id) => lhr.audits[id]?.numericValue;
    if (lhr.runtimeError) throw new Error(`${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
    results.push({
      performance: Math.round(lhr.categories.performance.score * 100),
      accessibility: Math.round(lhr.categories.accessibility.score * 100),
      cls: audit('cumulative-layout-shift'),
      lcp: audit('largest-contentful-paint'),
      tbt: audit('total-blocking-time'),
      fcp: audit('first-contentful-paint'),
      failing: Object.values(lhr.audits)
        .filter((a) => a.score !== null && a.score < 1 && lhr.categories.accessibility.auditRefs.some((r) => r.id === a.id))
        .map((a) => a.id),
    });
  }
} finally {
  await chrome.kill();
}
const median = (k) => {
  const s = results.map((r) => r[k]).sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
console.log(JSON.stringify({
  measure: 'lighthouse', version, runs, url,
  performance: median('performance'), accessibility: median('accessibility'),
  cls: Number(median('cls').toFixed(3)), lcp_ms: median('lcp'), tbt_ms: median('tbt'), fcp_ms: median('fcp'),
  performance_runs: results.map((r) => r.performance),
  accessibility_failing: [...new Set(results.flatMap((r) => r.failing))],
}));
