() => {
  const vw = document.documentElement.clientWidth;
  const main = document.querySelector('[data-testid="stMain"]');
  const out = {wide: [], clipped: []};
  const scrolls = (s) => s.overflowX === 'auto' || s.overflowX === 'scroll';
  const shown = (el) => { const r = el.getBoundingClientRect(); if (r.width < 1 || r.height < 1) return false;
    const s = getComputedStyle(el); return s.visibility !== 'hidden' && s.display !== 'none' && s.opacity !== '0' && !el.closest('.em3-sr-only'); };
  const name = (el) => (el.getAttribute('data-testid') || el.tagName.toLowerCase()) + ': '
    + (el.innerText || el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 70);
  const inScrollBox = (el) => { for (let a = el.parentElement; a && a !== main; a = a.parentElement) { if (scrolls(getComputedStyle(a))) return true; } return false; };
  // 1. No element wider than the viewport outside a box that scrolls.
  // (An SVG group is as wide as all its children, hidden ones too: its visible children are checked.)
  for (const el of main.querySelectorAll('*')) {
    if (!shown(el) || el.tagName.toLowerCase() === 'g') continue;
    const r = el.getBoundingClientRect();
    if ((r.right > vw + 1 || r.left < -1) && !inScrollBox(el)) out.wide.push(`${name(el)} [${Math.round(r.left)}..${Math.round(r.right)} of ${vw}]`);
  }
  // 2. No text clipped by its container: each text node's laid-out box inside the nearest ancestor
  //    that clips (overflow hidden or clip; a box that scrolls shows the rest on scrolling), within
  //    2 px: a rotated axis title's line box overhangs its chart by a pixel and a half, its glyphs do not.
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    const host = n.parentElement; if (!host || !shown(host)) continue;
    const range = document.createRange(); range.selectNodeContents(n);
    const t = range.getBoundingClientRect(); if (t.width < 1 && t.height < 1) continue;
    for (let a = host; a && a !== main.parentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX === 'visible') continue;
      if (scrolls(s)) break;
      const r = a.getBoundingClientRect();
      if (t.right > r.right + 2 || t.left < r.left - 2) { out.clipped.push(`${name(host)} (${Math.round(t.width)} px in ${Math.round(r.width)})`); }
      break;
    }
  }
  out.wide = [...new Set(out.wide)]; out.clipped = [...new Set(out.clipped)];
  return out;
}
