/* The offline search box: matches the words typed against the entries of search-index.js (a global, because
   fetch() of a JSON file is refused on file://). Every word must occur in the title or the text. */
(function () {
  "use strict";
  var input = document.getElementById("yb-q");
  var list = document.getElementById("yb-results");
  var entries = window.YEARBOOK_SEARCH || [];
  if (!input || !list) { return; }
  if (input.form) {  // the search never leaves the page (no inline onsubmit: the pages' CSP forbids it)
    input.form.addEventListener("submit", function (e) { e.preventDefault(); });
  }
  var active = -1;
  var draft = input.form ? input.form.getAttribute("data-draft") : "";

  function norm(s) { return (s || "").toLowerCase().replace(/\s+/g, " "); }
  for (var i = 0; i < entries.length; i++) {
    entries[i]._t = norm(entries[i].title);
    entries[i]._x = entries[i]._t + " " + norm(entries[i].kind) + " " + norm(entries[i].text);
  }

  function search(q) {
    var words = norm(q).split(" ").filter(Boolean);
    if (!words.length) { return []; }
    var hits = [];
    for (var i = 0; i < entries.length; i++) {
      var e = entries[i], ok = true, score = 0;
      for (var w = 0; w < words.length; w++) {
        if (e._x.indexOf(words[w]) < 0) { ok = false; break; }
        if (e._t.indexOf(words[w]) >= 0) { score += 2; }
        if (e._t.indexOf(words[w]) === 0) { score += 1; }
      }
      if (ok) { hits.push({ e: e, score: score, i: i }); }
    }
    hits.sort(function (a, b) { return b.score - a.score || a.e.title.length - b.e.title.length || a.i - b.i; });
    return hits.slice(0, 30).map(function (h) { return h.e; });
  }

  function snippet(e, q) {
    var text = e.text || "", word = norm(q).split(" ").filter(Boolean)[0] || "";
    var at = norm(text).indexOf(word);
    if (at < 0) { return text.slice(0, 60); }
    var from = Math.max(0, at - 20);
    return (from > 0 ? "…" : "") + text.slice(from, from + 60) + (from + 60 < text.length ? "…" : "");
  }

  function render() {
    var q = input.value, hits = search(q);
    list.textContent = "";
    active = -1;
    if (!norm(q).trim()) { list.hidden = true; return; }
    if (!hits.length) {
      var none = document.createElement("li");
      none.className = "yb-none";
      none.textContent = "没有找到“" + q + "”";
      list.appendChild(none);
    }
    hits.forEach(function (e) {
      var li = document.createElement("li"), a = document.createElement("a"), kind = document.createElement("span");
      a.href = e.url;
      kind.className = "yb-kind";
      kind.textContent = e.kind || "";
      a.appendChild(kind);
      if (draft) {  // a draft's results say so, like its pages
        var mark = document.createElement("span");
        mark.className = "yb-draft-mark";
        mark.textContent = draft;
        a.appendChild(mark);
      }
      a.appendChild(document.createTextNode(e.title));
      var s = snippet(e, q);
      if (s) {
        var sn = document.createElement("span");
        sn.className = "yb-snippet";
        sn.textContent = s;
        a.appendChild(sn);
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = false;
  }

  function move(step) {
    var items = list.querySelectorAll("li a");
    if (!items.length) { return; }
    active = (active + step + items.length) % items.length;
    for (var i = 0; i < items.length; i++) { items[i].parentNode.classList.toggle("yb-active", i === active); }
    items[active].scrollIntoView({ block: "nearest" });
  }

  input.addEventListener("input", render);
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown") { move(1); ev.preventDefault(); }
    else if (ev.key === "ArrowUp") { move(-1); ev.preventDefault(); }
    else if (ev.key === "Enter") {
      var items = list.querySelectorAll("li a");
      if (items.length) { window.location.href = items[Math.max(active, 0)].getAttribute("href"); }
      ev.preventDefault();
    } else if (ev.key === "Escape") { input.value = ""; render(); }
  });
  document.addEventListener("click", function (ev) {
    if (!list.contains(ev.target) && ev.target !== input) { list.hidden = true; }
  });
}());

/* The page's navigation behind the 目录 button (narrow screens), folded tables opened when a link targets them or
   the page is printed, so that numbering never jumps and a search hit shows its table. */
(function () {
  "use strict";
  var button = document.querySelector(".yb-menu");
  if (button) {
    button.addEventListener("click", function () {
      var open = document.body.classList.toggle("yb-nav-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) { return; }
    var opened = false;
    for (var el = target.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS" && !el.open) { el.open = true; opened = true; }
    }
    if (opened) { target.scrollIntoView(); }
  }
  reveal();
  window.addEventListener("hashchange", reveal);

  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
    closed = [];
  });
}());
