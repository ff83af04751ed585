// Plateau's status page: updates the page in place and shows step and value under the pointer.
// Served by Plateau itself (/static/plateau.js); the page's CSP runs no other script. Everything
// here is an enhancement: without it the page says the same and reloads itself (<noscript>).
(function () {
  'use strict';
  var root = document.documentElement;
  var every = (parseInt(document.body.getAttribute('data-refresh'), 10) || 5) * 1000;
  var updates = 0;
  root.setAttribute('data-live', 'on');

  function say(text) {
    var u = document.getElementById('updated');
    if (u) {
      u.textContent = text;
    }
  }

  function typing() {
    var a = document.activeElement;
    var live = document.getElementById('live');
    return a && live && live.contains(a) && /^(INPUT|SELECT|TEXTAREA)$/.test(a.tagName);
  }

  // Fetches the same page and swaps its live part: the server renders it once, for both.
  function refresh() {
    if (typing()) {
      setTimeout(refresh, every);
      return;
    }
    fetch(location.pathname + location.search, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) {
        if (!r.ok) {
          throw new Error('HTTP ' + r.status);
        }
        return r.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('live');
        var live = document.getElementById('live');
        if (fresh && live && !typing()) {
          live.replaceWith(document.importNode(fresh, true));
          updates++;
          root.setAttribute('data-updates', String(updates));
          say('updated ' + new Date().toLocaleTimeString());
        }
      })
      .catch(function (e) {
        say('not updated: ' + e.message);
      })
      .then(function () {
        setTimeout(refresh, every);
      });
  }
  setTimeout(refresh, every);

  // Hover: the nearest point of each series at the pointer's step.
  var tip = document.createElement('div');
  tip.id = 'tip';
  tip.hidden = true;
  document.body.appendChild(tip);
  var NS = 'http://www.w3.org/2000/svg';

  function numbers(el, name) {
    var cache = '_' + name;
    if (!el[cache]) {
      el[cache] = (el.getAttribute('data-' + name) || '').split(' ').map(Number);
    }
    return el[cache];
  }

  function nearest(steps, step) {
    var lo = 0;
    var hi = steps.length - 1;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (steps[mid] < step) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (lo > 0 && Math.abs(steps[lo - 1] - step) <= Math.abs(steps[lo] - step)) {
      lo--;
    }
    return lo;
  }

  function hide() {
    tip.hidden = true;
    var old = document.querySelectorAll('line.hover');
    for (var i = 0; i < old.length; i++) {
      old[i].remove();
    }
  }

  document.addEventListener('pointermove', function (e) {
    var svg = e.target && e.target.closest ? e.target.closest('svg.chart') : null;
    if (!svg) {
      hide();
      return;
    }
    var pt = svg.createSVGPoint();
    pt.x = e.clientX;
    pt.y = e.clientY;
    var p = pt.matrixTransform(svg.getScreenCTM().inverse());
    var l = Number(svg.getAttribute('data-l'));
    var r = Number(svg.getAttribute('data-r'));
    var x0 = Number(svg.getAttribute('data-x0'));
    var x1 = Number(svg.getAttribute('data-x1'));
    var share = Math.max(0, Math.min(1, (p.x - l) / (r - l)));
    var step = x0 + share * (x1 - x0);
    var lines = [];
    var shownStep = null;
    svg.querySelectorAll('polyline.raw').forEach(function (line) {
      var steps = numbers(line, 's');
      var values = numbers(line, 'v');
      if (!steps.length) {
        return;
      }
      var i = nearest(steps, step);
      shownStep = shownStep === null ? steps[i] : shownStep;
      var v = isFinite(values[i]) ? Number(values[i].toPrecision(4)) : values[i];
      lines.push(line.getAttribute('data-label') + ': ' + v + ' (step ' + steps[i] + ')');
    });
    if (!lines.length) {
      hide();
      return;
    }
    tip.textContent = '';
    lines.forEach(function (t) {
      var d = document.createElement('div');
      d.textContent = t;
      tip.appendChild(d);
    });
    tip.hidden = false;
    tip.style.left = Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 4) + 'px';
    tip.style.top = e.clientY + 14 + 'px';
    var mark = svg.querySelector('line.hover');
    if (!mark) {
      mark = document.createElementNS(NS, 'line');
      mark.setAttribute('class', 'hover');
      svg.appendChild(mark);
    }
    var x = l + ((shownStep - x0) / (x1 - x0)) * (r - l);
    mark.setAttribute('x1', x);
    mark.setAttribute('x2', x);
    mark.setAttribute('y1', svg.viewBox.baseVal.y + 12);
    mark.setAttribute('y2', svg.viewBox.baseVal.height - 30);
  });
})();
