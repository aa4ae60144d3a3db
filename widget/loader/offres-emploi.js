// <offres-emploi> loader: defines the custom element. For each element, when it comes near the
// viewport (or at once with chargement="immediat"), it asks the proxy for the widget's first
// view, rendered on the server with the widget's own components, and paints it in the shadow
// root; the WebAssembly module (loaded once for the page, when a first view's answer begins, so
// that it does not compete with first views) then takes over from that view, once painted,
// without searching again. Parts of the module that are chunks of their own (the offer detail,
// the market overview) load the first time they are needed. The
// proxy's address is where this file was loaded from, so a webmaster configures nothing but
// the element's attributes. Kept small: it is on every host page.
const here = new URL('./', import.meta.url);
const api = new URL('../', here).href;
// Every attribute the widget reads; a change re-renders the element. `cargo xtask build-widget`
// writes the list from the Rust one (emploi_types::recherche::element_attributes).
const ATTRIBUTES = [/* element attributes */];
let widget;
let blocked = '';
// Height held for an element until its first view is painted, so that the host page below it
// does not move when the view arrives (a screen: whatever follows is out of sight meanwhile).
const RESERVE = '100vh';

// A page whose CSP lacks 'wasm-unsafe-eval' reports it here before the compile error.
addEventListener('securitypolicyviolation', (e) => {
  if (e.blockedURI === 'wasm-eval') blocked = e.violatedDirective;
});

// The module's files: downloaded once for the page, compiled once. Their download starts when
// a first view's answer begins (its headers), not with its request: the module's request then
// waits out its round trip while the view's body arrives, instead of sharing a slow link's
// bandwidth with it (docs/benchmarks.md: `widget` against `widget-eager`).
let files;
const download = () => (files ??= [
  import(new URL('emploi-widget.js', here).href),
  fetch(new URL('emploi-widget_bg.wasm', here), { priority: 'low' }),
]);
const load = () => (widget ??= Promise.all(download()).then(async ([m, wasm]) => {
  await m.default({ module_or_path: wasm });
  return m;
}));

// Resolves once the browser has painted what is in the DOM now and started the frame after
// (two animation frames, then a task), so that compiling and mounting the module never delays
// the first view on screen.
const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
const painted = () => frame().then(frame).then(() => new Promise((resolve) => setTimeout(resolve)));

// One stylesheet for every instance, adopted by each shadow root (allowed by a CSP without
// 'unsafe-inline' styles). Fingerprinted file: cached by the browser across pages.
let sheet;
const styles = () => (sheet ??= fetch(new URL('widget.css', here))
  .then((r) => r.text())
  .then((css) => {
    const s = new CSSStyleSheet();
    s.replaceSync(css);
    return s;
  }));

// The server's HTML is the only HTML string this widget assigns, through one Trusted Types
// policy (a page with `require-trusted-types-for 'script'` lists it in `trusted-types`).
const policy = window.trustedTypes?.createPolicy('offres-emploi', { createHTML: (html) => html });

/** The proxy's `path` with the element's settings (its attributes, then `options`). */
function withSettings(path, el, options) {
  const u = new URL(path, api);
  for (const name of ATTRIBUTES) {
    const value = el.getAttribute(name);
    if (value !== null) u.searchParams.set(name, value);
  }
  for (const [name, value] of options || []) u.searchParams.set(name, value);
  return u;
}

/** The element's first view from the proxy: `{ html, donnees }`, or null. */
function firstView(el, options) {
  const u = withSettings('api/v1/vue', el, options);
  const lang = document.documentElement.lang;
  if (!u.searchParams.has('lang') && lang) u.searchParams.set('lang', lang);
  const link = new URL(location.href).searchParams.get(el.id ? `oe-${el.id}` : 'oe');
  if (link) u.searchParams.set('lien', link);
  return fetch(u, { headers: { Accept: 'application/json' } })
    // The module's download starts with the view's body (see `download`).
    .then((r) => { download(); return r.json(); })
    .then((v) => (v && typeof v.html === 'string' ? v : null), () => null);
}

const near = 'IntersectionObserver' in window && new IntersectionObserver((entries) => {
  for (const e of entries) {
    if (e.isIntersecting) {
      near.unobserve(e.target);
      e.target.start();
    }
  }
}, { rootMargin: '300px' });

/** `element.options` as [attribute, string value] pairs for the widget. */
const pairs = (o) => o && Object.entries(o).map(([k, v]) => [
  k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), Array.isArray(v) ? v.join(',') : String(v)]);

/** The widget's own page on the proxy (no JavaScript needed), for the fallback. */
const pageUrl = (el, options) => withSettings('offres', el, options).href;

/** France Travail's search page, when no first view came to name the same search there. */
const FRANCE_TRAVAIL = 'https://candidat.francetravail.fr/offres/recherche';

// WCAG 2.1 contrast of the colours the browser computed (presets, the page's --oe-* values,
// mode="host"): a theme cannot silently drop under 4.5:1.
const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
const lum = (c) => c.slice(0, 3).reduce((sum, v, i) => {
  const s = v / 255;
  return sum + [0.2126, 0.7152, 0.0722][i] * (s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4);
}, 0);
const opaque = (n) => {
  for (; n; n = n.parentElement || n.getRootNode().host) {
    const c = rgb(getComputedStyle(n).backgroundColor);
    if (c.length === 3 || c[3] === 1) return c;
  }
  return [255, 255, 255];
};
function checkContrast(root) {
  for (const [sel, pair] of [['.oe-root', 'text / bg'], ['.oe-button', 'accent-text / accent']]) {
    const n = root.querySelector(sel);
    if (!n) continue;
    const [a, b] = [lum(rgb(getComputedStyle(n).color)), lum(opaque(n))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) {
      console.warn(`<offres-emploi> contraste insuffisant (--oe-color-${pair.replace(' / ', ' / --oe-color-')}) : ${ratio.toFixed(2)}:1, 4.5:1 au minimum (WCAG AA).`);
    }
  }
}

class OffresEmploi extends HTMLElement {
  static get observedAttributes() { return ATTRIBUTES; }

  connectedCallback() {
    this.reserve();
    // Already near the viewport: start now rather than a frame later through the observer.
    const top = this.getBoundingClientRect().top;
    if (this.getAttribute('chargement') === 'immediat' || !near || top < innerHeight + 300) this.start();
    else near.observe(this);
  }

  disconnectedCallback() {
    if (near) near.unobserve(this);
    this._handle?.unmount();
    this._handle = undefined;
    this._started = false;
  }

  attributeChangedCallback(_name, old, value) {
    if (old !== value) this.refresh();
  }

  /**
   * Holds a screen's height while nothing is painted, unless the page sizes the element itself.
   * In the task that defines the element, so a page's `offres-emploi:not(:defined)` reservation
   * hands over without a frame in between.
   */
  reserve() {
    if (this.shadowRoot?.firstChild) return;
    const style = getComputedStyle(this);
    if (style.display === 'inline') this.style.display = 'block';
    if (parseFloat(style.minHeight) > 0 || this.style.minHeight) return;
    this.style.minHeight = RESERVE;
    this._reserved = true;
  }

  /** Gives the reserved height back once something is painted. */
  release() {
    if (!this._reserved) return;
    this._reserved = false;
    this.style.minHeight = '';
  }

  /** Settings as an object (`{ commune: '35238', rayon: 20, ... }`), over the attributes. */
  get options() { return this._options; }

  set options(value) {
    this._options = value;
    this.refresh();
  }

  /** Re-renders with the current settings, once per task however many changed. */
  refresh() {
    if (!this._started || this._pending) return;
    this._pending = true;
    queueMicrotask(() => {
      this._pending = false;
      this._handle?.unmount();
      this._handle = undefined;
      this._started = false;
      this.start();
    });
  }

  start() {
    if (this._started || !this.isConnected) return;
    this._started = true;
    const options = pairs(this._options);
    let root = this.shadowRoot;
    if (!root) {
      root = this.attachShadow({ mode: 'open' });
      // Before the module takes over, the server's form must not submit to the host page.
      root.addEventListener('submit', (e) => { if (!this._handle) e.preventDefault(); });
    }
    const view = Promise.all([firstView(this, options), styles().catch(() => null)])
      .then(([first, css]) => {
        if (css && !root.adoptedStyleSheets.includes(css)) root.adoptedStyleSheets = [css];
        if (first && this._started && !this._handle) {
          root.innerHTML = policy ? policy.createHTML(first.html) : first.html;
          this.release();
        }
        return first;
      });
    view.then(download, download);
    view.then((first) => painted().then(() => Promise.all([load(), first])))
      // The parts of the module the first view shows at once and that load apart (the market
      // overview), so that the takeover shows them too.
      .then(([m, first]) => m.prepare(first && first.donnees).then(() => [m, first]))
      .then(([m, first]) => {
        if (this._started && !this._handle) {
          this._handle = m.mount(this, api, options, first && first.donnees);
          this.release();
          checkContrast(root);
        }
      })
      // The fallback comes after the first view (which may still be on its way), never under it.
      .catch((err) => view.catch(() => null).then((first) => {
        const wasm = blocked || err instanceof WebAssembly.CompileError;
        console.error(wasm
          ? `<offres-emploi>: WebAssembly is blocked by this page's Content-Security-Policy (${blocked || 'script-src'}): add 'wasm-unsafe-eval' to script-src.`
          : '<offres-emploi> could not start:', err);
        const en = this.getAttribute('lang') === 'en';
        const fallback = document.createElement('p');
        fallback.setAttribute('part', 'fallback');
        const link = (href, text) => {
          const a = document.createElement('a');
          a.href = href;
          a.textContent = text;
          return a;
        };
        fallback.append(
          link(pageUrl(this, options), en ? 'See every offer (simple version)' : 'Voir toutes les offres (version simple)'),
          ' · ',
          // The same search there, as the server wrote it with the first view.
          link(first?.francetravail || FRANCE_TRAVAIL, en ? 'See the job offers on francetravail.fr' : 'Voir les offres d\u2019emploi sur francetravail.fr'),
        );
        // The server's first view, when it came, stays: its offers are on screen.
        if (root.querySelector('.oe-root')) root.querySelector('.oe-root').prepend(fallback);
        else root.replaceChildren(fallback);
        this.release();
      }));
  }
}

if (!customElements.get('offres-emploi')) customElements.define('offres-emploi', OffresEmploi);
