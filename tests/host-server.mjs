// A stand-in for a webmaster's site: serves tests/hosts/*.html on its own loopback port (another
// origin than the proxy), with {{PROXY}} replaced by the proxy's origin, exactly as a webmaster
// would paste the snippet. `PUT /colle.html` stores a snippet that `GET /colle.html` then serves
// in an otherwise blank page (the configurator test pastes its code there). Used by the
// Playwright tests only.
import http from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'hosts');
const port = Number(process.env.HOST_PORT);
const proxy = process.env.PROXY_ORIGIN;

// The widget's fingerprinted module files, for a page that preloads them
// (bench-widget-eager.html): {{GLUE}} and {{WASM}}.
const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'widget', 'dist');
const built = await readdir(dist).catch(() => []);
const glue = built.find((f) => /^emploi-widget-.*\.js$/.test(f)) || '';
const wasm = built.find((f) => /^emploi-widget_bg-.*\.wasm$/.test(f)) || '';

let pasted = '';

const handler = async (req, res) => {
  const name = path.basename(new URL(req.url, 'http://x').pathname) || 'index.html';
  if (name === 'healthz') { res.end('ok'); return; }
  if (name === 'colle.html') {
    if (req.method === 'PUT') {
      pasted = '';
      for await (const chunk of req) pasted += chunk;
      res.end('ok');
    } else {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Page vierge</title></head><body>${pasted}</body></html>`);
    }
    return;
  }
  try {
    const html = (await readFile(path.join(dir, name), 'utf8')).replaceAll('{{PROXY}}', proxy)
      .replaceAll('{{OUTSIDER}}', `http://127.0.0.2:${port}`)
      .replaceAll('{{GLUE}}', glue).replaceAll('{{WASM}}', wasm);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }
};

http.createServer(handler).listen(port, '127.0.0.1');
// A second loopback address is another origin, one no site key registers: the framing tests
// load their page from it.
http.createServer(handler).listen(port, '127.0.0.2');

