namespace Kling.Core.Gallery
{
    /// <summary>
    /// The page's style and script, inline (the page works opened from disk and loads nothing from the network). The script
    /// only reads and moves the cards: it filters them by the text of their name, prompt and model (the box, or <c>?q=</c>
    /// in the page's address) and sorts them by row, model or cost (the list, or <c>?sort=</c>). It builds no markup from
    /// text, and the page's Content-Security-Policy allows it alone by its hash, so nothing else on the page can run.
    /// </summary>
    internal static class GalleryAssets
    {
        public const string Style = @"
:root { color-scheme: light dark; --line: #d0d4da; --muted: #5f6b7a; --card: #ffffff; --page: #f3f5f8; --accent: #2f6fde; }
@media (prefers-color-scheme: dark) { :root { --line: #3a4048; --muted: #9aa5b1; --card: #1d2127; --page: #121418; --accent: #7aa7ff; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK SC', 'Noto Sans Arabic', sans-serif; background: var(--page); }
header { position: sticky; top: 0; z-index: 1; background: var(--page); border-bottom: 1px solid var(--line); padding: 12px 20px; }
h1 { font-size: 18px; margin: 0 0 4px; }
.totals { margin: 0 0 8px; color: var(--muted); }
.totals b { color: inherit; }
.controls { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
.controls input { flex: 1 1 280px; max-width: 480px; padding: 6px 10px; font: inherit; border: 1px solid var(--line); border-radius: 6px; }
.controls select { font: inherit; padding: 5px; }
#shown { color: var(--muted); }
main { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 16px; padding: 16px 20px 40px; }
article { background: var(--card); border: 1px solid var(--line); border-radius: 10px; overflow: hidden; display: flex; flex-direction: column; }
article[hidden] { display: none; }
video { width: 100%; aspect-ratio: 16 / 9; background: #000; display: block; }
.novideo { aspect-ratio: 16 / 9; display: flex; align-items: center; justify-content: center; padding: 12px; text-align: center; background: repeating-linear-gradient(45deg, transparent 0 8px, rgba(128,128,128,.12) 8px 16px); }
.body { padding: 10px 12px 12px; }
h2 { font-size: 15px; margin: 0 0 6px; overflow-wrap: anywhere; }
.state { display: inline-block; font-size: 12px; padding: 1px 8px; border-radius: 10px; margin-left: 6px; vertical-align: middle; border: 1px solid currentColor; }
.failed .state { color: #c0392b; }
.notsent .state, .indoubt .state, .nofile .state { color: #b7791f; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0 0 8px; font-size: 13px; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
.prompt { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.reason { margin: 8px 0 0; color: #c0392b; white-space: pre-wrap; overflow-wrap: anywhere; }
code { font-size: 12px; }
";

        public const string Script = @"
(function () {
  'use strict';
  var main = document.getElementById('cards');
  var box = document.getElementById('q');
  var sort = document.getElementById('sort');
  var shown = document.getElementById('shown');
  var cards = Array.prototype.slice.call(main.querySelectorAll('article'));
  function text(card, cls) { var e = card.querySelector('.' + cls); return e ? e.textContent.toLowerCase() : ''; }
  function num(card, name, none) { var v = parseFloat(card.getAttribute(name)); return isNaN(v) ? none : v; }
  function filter() {
    var words = box.value.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
    var count = 0;
    cards.forEach(function (card) {
      var hay = text(card, 'name') + ' ' + text(card, 'prompt') + ' ' + text(card, 'model');
      var match = words.every(function (w) { return hay.indexOf(w) >= 0; });
      card.hidden = !match;
      if (match) { count++; }
    });
    shown.textContent = count + ' of ' + cards.length + ' shown';
    main.setAttribute('data-shown', String(count));
  }
  function order() {
    var by = sort.value;
    var sorted = cards.slice().sort(function (a, b) {
      var d = 0;
      if (by === 'model') { d = (a.getAttribute('data-model') || '\uffff').localeCompare(b.getAttribute('data-model') || '\uffff'); }
      if (by === 'cost') { d = num(b, 'data-cost', -1) - num(a, 'data-cost', -1); }
      return d || num(a, 'data-row', 1e9) - num(b, 'data-row', 1e9) || num(a, 'data-order', 0) - num(b, 'data-order', 0);
    });
    sorted.forEach(function (card) { main.appendChild(card); });
    main.setAttribute('data-sort', by);
  }
  var query = new URLSearchParams(window.location.search);
  if (query.has('q')) { box.value = query.get('q'); }
  if (query.has('sort') && ['row', 'model', 'cost'].indexOf(query.get('sort')) >= 0) { sort.value = query.get('sort'); }
  box.addEventListener('input', filter);
  sort.addEventListener('change', order);
  order();
  filter();
  if (window.pwned) {
    var marker = document.createElement('p');
    marker.id = 'kling-pwned';
    marker.textContent = 'A script from the page text ran.';
    document.body.appendChild(marker);
  }
})();
";
    }
}
