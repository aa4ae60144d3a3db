// Time to first results and to an interactive widget, and the bytes each costs, in headless
// Chromium: the widget against a minimal hand-written embed fetching the same search from the
// same proxy. Run by `cargo xtask bench` with the proxy and the host server already up; prints
// one JSON line per network profile.
//
// Usage: node tests/bench/first-results.mjs <host origin> <proxy origin> <runs>
//
// Profiles: loopback as is, and a resident's phone through CDP (150 ms latency, 1.6 Mbit/s down,
// 750 kbit/s up, CPU 4× slower). Kinds of page, alternated run by run so that the machine's
// noise falls on all alike, each visit in a fresh browser context (nothing cached but what the
// proxy keeps; the first round, unmeasured, warms the proxy's caches):
// - `plain`: the baseline, `bench-plain.html`, an external script from the proxy's origin that
//   fetches the search and writes 20 list items;
// - `widget`: `bench-widget.html`, the snippet as a webmaster pastes it;
// - `widget-eager` (throttled only): `bench-widget-eager.html`, the same snippet on a page that
//   preloads the module's glue and wasm (the wasm at low priority), so that they download at
//   once beside the first view: the other order the loader could use (it asks for them once a
//   first view has arrived);
// - `widget-panels` (throttled only): `bench-widget-panels.html`, the same snippet with the market
//   overview (and official figures) and the events panels: the first view carries their answers
//   and their HTML, and the module takes over once their chunks have loaded.
import { chromium } from '@playwright/test';

const [host, proxy, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 20);

const PHONE = {
  network: { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 },
  cpu: 4,
};

// Before the page's scripts: the widget's `offres-emploi:recherche` event, sent when the
// WebAssembly module has taken over (or searched), marks it interactive.
const listen = () => {
  addEventListener('offres-emploi:recherche', () => {
    window.__taken ??= true;
  }, { once: true });
};

// In the page: resolves with the time (ms since navigation start) of the animation frame after
// the first result card is in the DOM (the page's list or the widget's shadow root), and of the
// one after the module has taken over (interactive).
const probe = (widget) => new Promise((resolve) => {
  const root = () => document.querySelector('offres-emploi')?.shadowRoot;
  const card = () => document.querySelector('[data-testid="offer"]')
    || root()?.querySelector('[data-testid="offer"]');
  const times = {};
  const tick = () => {
    if (times.first === undefined && card()) requestAnimationFrame(() => { times.first ??= performance.now(); });
    if (widget && times.interactive === undefined && window.__taken) {
      requestAnimationFrame(() => { times.interactive ??= performance.now(); });
    }
    if (times.first !== undefined && (!widget || times.interactive !== undefined)) resolve(times);
    else requestAnimationFrame(tick);
  };
  tick();
});

/** One visit of `kind` under `profile`: times, and the proxy's bytes received until each. */
async function visit(browser, kind, profile) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  // A same-origin page first, so that the throttled renderer is the one the visit uses.
  await page.goto(`${host}/healthz`);
  await cdp.send('Network.enable');
  if (profile) {
    await cdp.send('Network.emulateNetworkConditions', profile.network);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
  }
  const requests = new Map();
  let start;
  cdp.on('Network.requestWillBeSent', (e) => {
    if (start === undefined && e.type === 'Document') start = e.timestamp;
    requests.set(e.requestId, { url: e.request.url, chunks: [], done: null });
  });
  cdp.on('Network.dataReceived', (e) => requests.get(e.requestId)?.chunks.push([e.timestamp, e.encodedDataLength]));
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.done = [e.timestamp, e.encodedDataLength];
  });
  await page.addInitScript(listen);
  const page_ = {
    plain: 'bench-plain.html',
    widget: 'bench-widget.html',
    'widget-eager': 'bench-widget-eager.html',
    'widget-panels': 'bench-widget-panels.html',
  }[kind];
  await page.goto(`${host}/${page_}`, { waitUntil: 'commit' });
  const times = await page.evaluate(probe, kind !== 'plain');
  // Let the last events of the network domain arrive.
  await page.waitForTimeout(50);
  // Bytes on the wire (headers and compressed bodies) from the proxy's origin until `ms`.
  const bytes = (ms, only) => {
    if (ms === undefined) return undefined;
    const until = start + ms / 1000;
    let sum = 0;
    for (const r of requests.values()) {
      if (!r.url.startsWith(proxy) || (only && !only.test(r.url))) continue;
      if (r.done && r.done[0] <= until) sum += r.done[1];
      else sum += r.chunks.filter(([t]) => t <= until).reduce((a, [, n]) => a + n, 0);
    }
    return sum;
  };
  await context.close();
  return {
    ...times,
    bytesFirst: bytes(times.first),
    // The loader, the first view and the stylesheet (or the baseline's script and search).
    bytesFirstOwn: bytes(times.first, /offres-emploi\.js|\/api\/v1\/vue|\.css|liste\.js|\/api\/v1\/search/),
    bytesInteractive: bytes(times.interactive),
  };
}

const median = (v) => {
  const s = v.filter((x) => x !== undefined).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : null;
};

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
try {
  for (const [name, profile, kinds] of [
    ['loopback', null, ['widget', 'plain']],
    ['phone', PHONE, ['widget', 'plain', 'widget-eager', 'widget-panels']],
  ]) {
    const results = Object.fromEntries(kinds.map((k) => [k, []]));
    for (let i = 0; i < runs + 1; i += 1) {
      for (const kind of kinds) {
        const r = await visit(browser, kind, profile);
        if (i > 0) results[kind].push(r);
      }
    }
    const summary = { measure: 'first_results', profile: name, runs };
    for (const [kind, list] of Object.entries(results)) {
      summary[kind] = {
        first_ms: median(list.map((r) => r.first)),
        interactive_ms: median(list.map((r) => r.interactive)),
        bytes_first: median(list.map((r) => r.bytesFirst)),
        bytes_first_own: median(list.map((r) => r.bytesFirstOwn)),
        bytes_interactive: median(list.map((r) => r.bytesInteractive)),
        first_runs: list.map((r) => Math.round(r.first)),
      };
    }
    console.log(JSON.stringify(summary));
  }
} finally {
  await browser.close();
}
