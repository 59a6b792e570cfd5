// Live updates for the meeting page: the current item, your place in the queue, new ideas.
// Progressive: the page works without it (reload). Only ever sets textContent, never HTML.
(function () {
  "use strict";
  var body = document.body;
  var url = body.getAttribute("data-live-url");
  if (!url || !window.fetch) { return; }
  var state = body.getAttribute("data-live-state");
  var ideas = Number(body.getAttribute("data-live-ideas"));
  var delay = 5000;

  function show(name, visible) {
    var el = document.querySelector('[data-live="' + name + '"]');
    if (el) { el.hidden = !visible; }
  }

  function apply(data) {
    Object.keys(data.text).forEach(function (name) {
      var el = document.querySelector('[data-live="' + name + '"]');
      if (el && el.textContent !== data.text[name]) { el.textContent = data.text[name]; }
    });
    show("stale", data.state !== state);
    show("new_ideas", data.ideas > ideas);
  }

  function poll() {
    if (document.hidden) { setTimeout(poll, delay); return; }
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { apply(data); } })
      .catch(function () { /* offline for a moment: try again later */ })
      .then(function () { setTimeout(poll, delay); });
  }

  setTimeout(poll, delay);
}());
