/* The published site's find-your-idea box and idea search. Works from file:// with no network:
   its data are plain scripts (data/refs.js, data/search-CODE.js) that call the functions below,
   since browsers refuse fetch() of local files. Everything shown is set as text, never HTML. */
(function () {
  "use strict";
  var refs = {}, words = {}, shards = [], loaded = false, loading = false;
  window.meetingRefs = function (data, said) { refs = data; words = said; };
  window.meetingSearchShard = function (code, dir, rows) { shards.push([code, dir, rows]); };

  function say(key, values) {
    var text = words[key] || key;
    Object.keys(values || {}).forEach(function (name) { text = text.split("{" + name + "}").join(values[name]); });
    return text;
  }
  function figure(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, words.sep || ","); }
  function formatRef(n) { var s = String(n); while (s.length < 4) { s = "0" + s; } return "I-" + s; }
  function inRanges(ranges, n) {
    return (ranges || "").split(",").some(function (part) {
      if (!part) { return false; }
      var ends = part.split("-"), low = +ends[0], high = ends.length > 1 ? +ends[1] : low;
      return n >= low && n <= high;
    });
  }
  function findIn(code, typed, number) {
    var entry = refs[code];
    if (!entry) { return null; }
    var page = function (ref, file) { return { code: code, ref: ref, title: entry.t, page: "ideas/" + entry.d + "/" + (file || ref) + ".html" }; };
    if (entry.x[typed]) { return page(typed, entry.x[typed][1]); }
    if (number !== null && inRanges(entry.r, number)) { return page(formatRef(number)); }
    if (number !== null) {
      var other = Object.keys(entry.x).filter(function (ref) { return entry.x[ref][0] === number; })[0];
      if (other) { return page(other, entry.x[other][1]); }
    }
    return null;
  }
  function link(root, found) {
    var a = document.createElement("a");
    a.href = root + found.page;
    a.textContent = found.code + "/" + found.ref + " · " + found.title;
    return a;
  }
  function find(form) {
    var box = form.querySelector("input"), out = form.querySelector("[role=status]");
    var root = form.getAttribute("data-root") || "", scoped = form.getAttribute("data-meeting");
    var text = box.value.trim(), slash = text.lastIndexOf("/");
    var code = slash >= 0 ? text.slice(0, slash).trim().toLowerCase() : (scoped || "");
    var ref = (slash >= 0 ? text.slice(slash + 1) : text).trim().toUpperCase();
    var match = /^(?:I-?)?(\d{1,8})$/.exec(ref), number = match ? parseInt(match[1], 10) : null;
    out.textContent = "";
    if (!ref) { out.textContent = say("notARef"); return; }
    if (code && !refs[code]) { out.textContent = say("noMeeting", { code: code }); return; }
    var found = (code ? [code] : Object.keys(refs)).map(function (c) { return findIn(c, ref, number); }).filter(Boolean);
    if (!found.length) {  /* "zzz" is not a ref at all: say what one looks like */
      out.textContent = number === null ? say("notARef") : say("notFound", { ref: text });
      return;
    }
    if (found.length === 1) {
      out.appendChild(link(root, found[0]));
      window.location.href = root + found[0].page;
      return;
    }
    var intro = document.createElement("p"), list = document.createElement("ul");
    intro.textContent = say("several", { ref: text });
    found.forEach(function (f) { var li = document.createElement("li"); li.appendChild(link(root, f)); list.appendChild(li); });
    out.appendChild(intro); out.appendChild(list);
  }

  function loadShards(paths, done) {
    if (!paths.length) { done(); return; }
    var script = document.createElement("script");
    script.src = paths[0];
    script.onload = script.onerror = function () { loadShards(paths.slice(1), done); };
    document.body.appendChild(script);
  }
  /* The fold of meetingtui/domain/text_fold.py: case and accents aside, the letters of its
     LETTERS_APART spelt apart ("Łódź" is "lodz", "œuvre" "oeuvre"), and every run of characters
     other than letters and digits one space ("Café—bus" is "cafe bus"). The table is written in
     here from text_fold.py when the site is published (export/site.py), so both have one. */
  var APART = {};
  var APART_RE = new RegExp("[" + Object.keys(APART).join("") + "]", "g");
  function fold(text) {
    var lower = text.toLowerCase();
    if (lower.normalize) { lower = lower.normalize("NFKD").replace(/\p{M}/gu, ""); }
    if (Object.keys(APART).length) { lower = lower.replace(APART_RE, function (c) { return APART[c]; }); }
    return lower.replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  function search(box, count, results) {
    var wanted = fold(box.value).split(" ").filter(Boolean), shown = 0, total = 0;
    results.textContent = "";
    if (!wanted.length) { count.textContent = ""; return; }
    shards.forEach(function (shard) {
      shard[2].forEach(function (row) {
        if (!wanted.every(function (w) { return row[3].indexOf(w) !== -1; })) { return; }
        total += 1;
        if (shown >= 100) { return; }
        shown += 1;
        var li = document.createElement("li"), a = document.createElement("a"), status = document.createElement("span");
        a.href = "ideas/" + shard[1] + "/" + (row[4] || row[0]) + ".html";
        a.textContent = shard[0] + "/" + row[0];
        status.className = "badge"; status.textContent = row[2];
        li.appendChild(a); li.appendChild(document.createTextNode(" " + row[1] + " ")); li.appendChild(status);
        results.appendChild(li);
      });
    });
    var said = say(total === 1 ? "one" : "many", { count: figure(total) });
    count.textContent = total > shown ? said + " (" + say("shown", { count: figure(shown) }) + ")" : said;
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-find]"), function (form) {
      form.addEventListener("submit", function (event) { event.preventDefault(); find(form); });
    });
    var box = document.getElementById("q"), listing = document.getElementById("by-meeting");
    if (!box || !listing) { return; }
    var count = document.getElementById("count"), results = document.getElementById("results");
    var form = box.form;
    if (form) { form.addEventListener("submit", function (event) { event.preventDefault(); }); }
    box.addEventListener("input", function () {
      if (loaded) { search(box, count, results); return; }
      if (loading) { return; }
      loading = true;
      count.textContent = say("loading");
      var paths = (listing.getAttribute("data-shards") || "").split(" ").filter(Boolean);
      loadShards(paths, function () { loaded = true; search(box, count, results); });
    });
  });
})();
