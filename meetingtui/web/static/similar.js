// "Similar ideas already raised" under the idea form's title, while it is typed: the meeting's
// ideas like it (GET /api/meetings/CODE/similar), each a link to its page to support or comment
// on it. Progressive: without it the form works as before. Only ever sets textContent.
(function () {
  "use strict";
  var box = document.getElementById("similar-ideas");
  var title = document.getElementById("title");
  if (!box || !title || !window.fetch) { return; }
  var url = box.getAttribute("data-similar-url");
  var list = box.querySelector(".similar__list");
  var asked = title.value, timer = null, latest = 0;
  var DEBOUNCE = 300, MIN_LETTERS = 3;

  function say(name, key, value) {
    return (box.getAttribute(name) || "").split("{" + key + "}").join(value);
  }

  function show(ideas) {
    list.textContent = "";
    ideas.forEach(function (idea) {
      var li = document.createElement("li"), a = document.createElement("a");
      var meta = document.createElement("span");
      a.href = idea.url;
      a.textContent = idea.ref + " " + idea.title;
      meta.className = "meta";
      var said = say("data-supporters", "count", String(idea.support_count));
      if (idea.merged_into) { said += "; " + say("data-merged", "ref", idea.merged_into); }
      meta.textContent = "(" + said + ")";
      li.appendChild(a); li.appendChild(document.createTextNode(" ")); li.appendChild(meta);
      list.appendChild(li);
    });
    box.hidden = ideas.length === 0;
  }

  function lookUp() {
    var text = title.value.trim();
    if (text === asked) { return; }
    asked = text;
    var mine = ++latest;
    if (text.replace(/[^0-9A-Za-z\u00C0-\uFFFF]/g, "").length < MIN_LETTERS) { show([]); return; }
    fetch(url + "?q=" + encodeURIComponent(text.slice(0, 300)), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && mine === latest) { show(data.ideas || []); } })
      .catch(function () { /* offline for a moment: no hint, the form still works */ });
  }

  title.addEventListener("input", function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(lookUp, DEBOUNCE);
  });
}());
