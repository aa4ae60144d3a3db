// The configurator: every setting becomes an attribute of the live preview and a line of the
// snippet. Plain JavaScript, as a webmaster's page would have; places and métiers come from
// the proxy's /api/v1/lieux and /api/v1/metiers.
const origin = window.location.origin;
const $ = (id) => document.getElementById(id);
const place = { genre: 'commune', code: '35238', nom: 'Rennes' };
let metier = null;

/** The element's attributes for the current settings, in snippet order. */
function attributes() {
  const a = [['site', $('site').value.trim() || 'demo']];
  a.push([place.genre, place.code]);
  if (place.genre === 'commune') a.push(['rayon', $('rayon').value]);
  const words = $('mots-cles').value.trim();
  if (words) a.push(['mots-cles', words]);
  if (metier) a.push(['metier', metier.code]);
  // Work-study replaces the contract types (France Travail ORs the two): its page has none.
  const study = $('public').value === 'alternance';
  for (const box of document.querySelectorAll('input[name="contrat"]')) {
    box.disabled = study;
    if (study) box.checked = false;
  }
  const contracts = [...document.querySelectorAll('input[name="contrat"]:checked')].map((c) => c.value);
  if (contracts.length) a.push(['types-contrat', contracts.join(',')]);
  if ($('public').value) a.push([$('public').value, 'true']);
  if ($('tri').value !== 'date') a.push(['tri', $('tri').value]);
  if ($('par-page').value !== '20') a.push(['par-page', $('par-page').value]);
  if ($('titre').value.trim()) a.push(['titre', $('titre').value.trim()]);
  if ($('theme').value !== 'neutre') a.push(['theme', $('theme').value]);
  if ($('mode').value) a.push(['mode', $('mode').value]);
  if ($('lang').value) a.push(['lang', $('lang').value]);
  for (const flag of ['marche', 'evenements', 'verrouiller-lieu', 'compact']) if ($(flag).checked) a.push([flag, '']);
  return a;
}

const escape = (text) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The widget's own page on the proxy for these settings: works without JavaScript. */
function pageUrl(attrs) {
  const u = new URL('/offres', origin);
  for (const [k, v] of attrs) u.searchParams.set(k, v);
  if ($('accent-perso').checked) u.searchParams.set('--oe-color-accent', $('accent').value);
  return u.href;
}

/** The three embeds a webmaster can paste: the element, an iframe, a link. */
function snippets(attrs) {
  const fields = attrs.map(([k, v]) => (v === '' ? k : `${k}="${escape(v)}"`)).join(' ');
  const style = $('accent-perso').checked ? ` style="--oe-color-accent: ${$('accent').value}"` : '';
  const page = escape(pageUrl(attrs));
  return {
    element: `<script type="module" src="${origin}/widget/offres-emploi.js"></script>\n`
      + `<offres-emploi ${fields}${style}></offres-emploi>\n`
      + `<noscript><a href="${page}">Voir les offres d'emploi (version sans JavaScript)</a></noscript>\n`,
    iframe: `<iframe src="${page}" title="Offres d'emploi" width="100%" height="900" style="border:0" loading="lazy"></iframe>\n`
      + '<!-- Facultatif : une ligne pour que le cadre prenne la hauteur de son contenu. -->\n'
      + `<script type="module" src="${origin}/widget/cadre.js"></script>\n`,
    lien: `<a href="${page}">Offres d'emploi près de chez vous</a>\n`,
  };
}

/** The WCAG 2.1 relative luminance of a CSS colour (`#rgb`, `#rrggbb`, `rgb(r, g, b)`), or null. */
function luminance(css) {
  const value = (css || '').trim();
  let rgb = null;
  const hex = value.match(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i);
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1];
    rgb = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
  } else {
    const fn = value.match(/^rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)/i);
    if (fn) rgb = fn.slice(1, 4).map(Number);
  }
  if (!rgb) return null;
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The contrast ratio of two CSS colours (1 to 21), or null when one cannot be read. */
function contrast(a, b) {
  const [la, lb] = [luminance(a), luminance(b)];
  if (la === null || lb === null) return null;
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** The text contrast RGAA 3.2 asks for (WCAG 1.4.3, normal text). */
const MIN_CONTRAST = 4.5;
/** The custom colour's weakest contrast, or null when the theme's colours are used. */
let weakest = null;
/** Checks started: only the latest one speaks. */
let checks = 0;

/**
 * Checks the custom main colour where the widget writes with it (links and secondary buttons on
 * the background and the surfaces) and under it (button text), with the preview's own theme
 * colours, and says the result next to the colour field.
 */
async function checkContrast() {
  const field = $('accent');
  const said = $('contraste');
  if (!$('accent-perso').checked) {
    weakest = null;
    field.removeAttribute('aria-invalid');
    said.textContent = '';
    said.className = 'conf__hint';
    return;
  }
  const run = ++checks;
  await customElements.whenDefined('offres-emploi');
  // The new preview's styles are adopted when it connects: wait (a second at most) for its
  // theme's colours.
  const preview = $('apercu');
  if (!preview) return;
  const tokens = getComputedStyle(preview);
  for (let frame = 0; frame < 60 && !tokens.getPropertyValue('--oe-color-bg').trim(); frame += 1) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  if (run !== checks) return;
  const token = (name, fallback) => tokens.getPropertyValue(name).trim() || fallback;
  const hostBackground = getComputedStyle(document.body).backgroundColor;
  const background = $('mode').value === 'host' ? hostBackground : token('--oe-color-bg', '#fff');
  const accent = field.value;
  const pairs = [
    ['le fond', background],
    ['les encadrés', token('--oe-color-surface', '#f6f6f6')],
    ['le texte des boutons', token('--oe-color-accent-text', '#fff')],
  ];
  const measured = pairs
    .map(([where, other]) => ({ where, ratio: contrast(accent, other) }))
    .filter((m) => m.ratio !== null)
    .sort((a, b) => a.ratio - b.ratio);
  if (!measured.length) return;
  weakest = measured[0];
  const shown = weakest.ratio.toFixed(1).replace('.', ',');
  if (weakest.ratio >= MIN_CONTRAST) {
    field.removeAttribute('aria-invalid');
    said.className = 'conf__hint conf__ok';
    said.textContent = `Contraste suffisant : ${shown}:1 au plus faible (avec ${weakest.where}), pour 4,5:1 demandés.`;
  } else {
    field.setAttribute('aria-invalid', 'true');
    said.className = 'conf__hint conf__warning';
    said.textContent = `Contraste insuffisant : ${shown}:1 avec ${weakest.where}, pour 4,5:1 demandés (RGAA 3.2). `
      + 'Choisissez une couleur plus foncée (ou plus claire en thème sombre), ou décochez « Utiliser cette couleur ».';
  }
}

/** Rebuilds the preview element (a new one, as a pasted snippet would be) and the texts. */
function update() {
  const attrs = attributes();
  const frame = $('apercu-cadre');
  frame.replaceChildren();
  const el = document.createElement('offres-emploi');
  el.id = 'apercu';
  for (const [k, v] of attrs) el.setAttribute(k, v);
  if ($('accent-perso').checked) el.style.setProperty('--oe-color-accent', $('accent').value);
  frame.append(el);
  $('rayon').disabled = place.genre !== 'commune';
  const codes = snippets(attrs);
  $('code').value = codes.element;
  $('code-iframe').value = codes.iframe;
  $('code-lien').value = codes.lien;
  $('csp').value = `script-src 'self' ${origin} 'wasm-unsafe-eval';\nconnect-src ${origin};\nimg-src 'self' https:;`;
  $('territoire').textContent = `${place.nom} (${place.genre === 'epci' ? 'intercommunalité' : place.genre} ${place.code})`;
  checkContrast();
}

/**
 * A small combobox (ARIA 1.2, list autocomplete) over one of the proxy's suggestion lists:
 * `path` is asked for the typed text, `text` says an item, `chosen` takes the choice.
 */
function combobox(field, listId, path, text, chosen) {
  const input = $(field);
  const list = $(listId);
  let typed = 0;
  let found = [];
  let active = -1;
  const show = () => {
    list.replaceChildren(...found.map((item, i) => {
      const li = document.createElement('li');
      li.id = `${listId}-${i}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(i === active));
      li.textContent = text(item);
      li.addEventListener('mousedown', (e) => { e.preventDefault(); choose(i); });
      return li;
    }));
    list.hidden = found.length === 0;
    input.setAttribute('aria-expanded', String(found.length > 0));
    if (active >= 0) input.setAttribute('aria-activedescendant', `${listId}-${active}`);
    else input.removeAttribute('aria-activedescendant');
  };
  const choose = (i) => {
    input.value = chosen(found[i]);
    found = [];
    active = -1;
    show();
    update();
  };
  input.addEventListener('input', () => {
    const q = input.value.trim();
    const n = ++typed;
    if (q.length < 2) { found = []; show(); return; }
    setTimeout(async () => {
      if (n !== typed) return;
      const url = `${origin}/api/v1/${path}?site=demo&limit=8&q=${encodeURIComponent(q)}`;
      try {
        const answer = await fetch(url);
        if (n === typed && answer.ok) { found = await answer.json(); active = -1; show(); }
      } catch { /* offline: keep the current choice */ }
    }, 200);
  });
  input.addEventListener('keydown', (e) => {
    if (!found.length) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      active = (active + (e.key === 'ArrowDown' ? 1 : found.length - 1) + (active < 0 && e.key === 'ArrowUp' ? 1 : 0)) % found.length;
      show();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(Math.max(active, 0));
    } else if (e.key === 'Escape') {
      found = [];
      show();
    }
  });
  input.addEventListener('blur', () => { found = []; show(); });
}

combobox('lieu', 'lieux', 'lieux', (p) => {
  const kind = p.genre === 'commune' ? `${p.departement || ''} · ${p.code_postal || p.code}` : p.genre;
  return `${p.nom} (${kind})`;
}, (p) => {
  Object.assign(place, { genre: p.genre, code: p.code, nom: p.nom });
  return p.nom;
});
combobox('metier', 'metiers', 'metiers', (m) => `${m.libelle} (${m.code})`, (m) => {
  metier = { code: m.code, libelle: m.libelle };
  return m.libelle;
});
// Emptying the field drops the métier.
$('metier').addEventListener('input', () => {
  if (!$('metier').value.trim() && metier) { metier = null; update(); }
});

$('reglages').addEventListener('input', (e) => { if (!['lieu', 'metier'].includes(e.target.id)) update(); });
$('reglages').addEventListener('change', (e) => { if (!['lieu', 'metier'].includes(e.target.id)) update(); });
$('reglages').addEventListener('submit', (e) => e.preventDefault());
// The embeds as tabs (ARIA tabs pattern: arrows move between tabs, the panel follows).
const tabs = [...document.querySelectorAll('[role="tab"]')];
function select(tab) {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute('aria-selected', String(on));
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute('aria-controls')).hidden = !on;
  }
}
for (const tab of tabs) {
  tab.addEventListener('click', () => select(tab));
  tab.addEventListener('keydown', (e) => {
    const i = tabs.indexOf(tab);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const to = tabs[(next + tabs.length) % tabs.length];
    select(to);
    to.focus();
  });
}
$('copier').addEventListener('click', async () => {
  await checkContrast();
  if (weakest && weakest.ratio < MIN_CONTRAST) {
    $('copie').textContent = 'Code non copié : la couleur principale ne se lit pas assez (voir « Couleur principale »).';
    $('accent').focus();
    return;
  }
  const shown = tabs.find((t) => t.getAttribute('aria-selected') === 'true');
  const code = $(shown.getAttribute('aria-controls')).querySelector('textarea');
  try {
    await navigator.clipboard.writeText(code.value);
    $('copie').textContent = 'Code copié.';
  } catch {
    code.select();
    $('copie').textContent = 'Sélectionné : copiez-le avec Ctrl+C.';
  }
});
$('lieu').value = place.nom;
update();
