// <offres-emploi> loader: defines the custom element and loads the WebAssembly widget once for
// every element of the page. The proxy's address is where this file was loaded from, so a
// webmaster configures nothing but the element's attributes.
const here = new URL('./', import.meta.url);
const apiBase = new URL('../', here).href;
let widget;

function load() {
  widget ??= import(new URL('emploi-widget.js', here).href).then(async (m) => {
    await m.default({ module_or_path: new URL('emploi-widget_bg.wasm', here) });
    return m;
  });
  return widget;
}

class OffresEmploi extends HTMLElement {
  connectedCallback() {
    if (this._handle || this._loading) return;
    this._loading = true;
    load()
      .then((m) => { this._handle = m.mount(this, apiBase); })
      .catch((err) => {
        console.error('<offres-emploi> could not start:', err);
        const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
        const link = document.createElement('a');
        link.href = 'https://candidat.francetravail.fr/offres/recherche';
        link.textContent = 'Voir les offres d\u2019emploi sur francetravail.fr';
        root.replaceChildren(link);
      })
      .finally(() => { this._loading = false; });
  }
  disconnectedCallback() {
    this._handle?.unmount();
    this._handle = undefined;
  }
}

if (!customElements.get('offres-emploi')) customElements.define('offres-emploi', OffresEmploi);
