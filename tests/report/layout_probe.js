// Injected by tests/report/test_browser.py into a copy of the report: lays it out and records what a reader
// would see wrong (a number wrapped, chart texts overlapping or under 11.5 px, the page wider than the screen).
(function () {
  var out = {viewport: window.innerWidth, page: document.documentElement.scrollWidth, problems: []};
  function box(e) { return e.getBoundingClientRect(); }
  document.querySelectorAll('td.num, th').forEach(function (td) {
    if (!td.matches('td.num')) return;
    var range = document.createRange(); range.selectNodeContents(td);
    var tops = {}; Array.prototype.forEach.call(range.getClientRects(), function (r) { tops[Math.round(r.top)] = 1; });
    if (Object.keys(tops).length > 1) out.problems.push('wraps: ' + td.textContent.trim());
  });
  document.querySelectorAll('svg').forEach(function (svg, n) {
    var texts = Array.prototype.slice.call(svg.querySelectorAll('text, rect'));
    for (var i = 0; i < texts.length; i++) for (var j = i + 1; j < texts.length; j++) {
      var a = box(texts[i]), b = box(texts[j]);
      if (texts[i].tagName === 'rect' && texts[j].tagName === 'rect') continue;
      if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
        out.problems.push('overlap in chart ' + n + ': "' + texts[i].textContent + '" / "' + texts[j].textContent + '"');
    }
    var s = box(svg); var holder = box(svg.closest('.charts') || svg); if (holder.right > window.innerWidth + 1) out.problems.push('chart ' + n + ' wider than the screen');
    svg.querySelectorAll('text').forEach(function (t) {
      var px = parseFloat(getComputedStyle(t).fontSize) * (s.width / svg.viewBox.baseVal.width);
      if (px < 11.5) out.problems.push('chart ' + n + ' text ' + px.toFixed(1) + 'px: ' + t.textContent);
    });
  });
  if (out.page > out.viewport + 1) out.problems.push('page wider than the screen: ' + out.page + ' > ' + out.viewport);
  document.body.setAttribute('data-layout', JSON.stringify(out));
})();
