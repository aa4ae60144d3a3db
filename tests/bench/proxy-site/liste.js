// The benchmark's baseline (tests/bench/first-results.mjs): the least a hand-written embed can do
// to show the widget's first results, loaded from the proxy's origin as the widget's loader is.
// It fetches the same search and writes 20 list items.
fetch(new URL('/api/v1/search?site=demo&commune=35238&rayon=10&tri=date&page=1&par_page=20', document.currentScript.src))
  .then((r) => r.json())
  .then((data) => {
    const list = document.getElementById('offres');
    for (const o of data.offres) {
      const li = document.createElement('li');
      li.dataset.testid = 'offer';
      const h = document.createElement('h3');
      h.textContent = o.intitule;
      const p = document.createElement('p');
      p.textContent = [o.entreprise, o.lieu, o.contrat].filter(Boolean).join(' · ');
      li.append(h, p);
      list.append(li);
    }
  });
