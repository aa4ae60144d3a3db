// Optional height for the widget's iframe (the iframe snippet works without it, at the height
// its attribute gives). One file, two sides:
// - in the widget's own page inside an iframe, it tells the framing page its height;
// - on the host page (one <script> line beside the iframe), it sets the height of the iframes
//   whose address is this proxy's, from their messages, and nothing else.
const proxy = new URL(import.meta.url).origin;
const KIND = 'offres-emploi:hauteur';

if (window.parent !== window && location.origin === proxy) {
  const send = () => window.parent.postMessage({ type: KIND, height: document.documentElement.scrollHeight }, '*');
  new ResizeObserver(send).observe(document.documentElement);
  addEventListener('load', send);
} else {
  addEventListener('message', (e) => {
    if (e.origin !== proxy || !e.data || e.data.type !== KIND) return;
    const height = Math.ceil(Number(e.data.height));
    if (!(height > 0 && height < 100000)) return;
    for (const frame of document.querySelectorAll('iframe')) {
      if (frame.contentWindow === e.source) frame.style.height = `${height}px`;
    }
  });
}
