// The projector page: fetch the page again every few seconds and swap in the changing part
// (current item, speaker, agenda, latest ideas), so the QR code never flickers; between fetches
// the clocks ([data-countdown], seconds as the page was made) count every second. Without
// JavaScript the page's <noscript> refresh reloads it whole instead.
(function () {
  "use strict";
  var side = document.querySelector("[data-screen-live]");
  var every = Number(document.body.getAttribute("data-refresh")) * 1000;
  if (!side || !window.fetch || !window.DOMParser || !every) { return; }
  var loaded = Date.now();

  function two(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    var gone = Math.floor((Date.now() - loaded) / 1000);
    var clocks = side.querySelectorAll("[data-countdown]");
    for (var i = 0; i < clocks.length; i++) {
      var start = clocks[i].getAttribute("data-countdown");
      if (start === "") { continue; } // a paused clock stands still
      var seconds = Number(start);
      var up = clocks[i].getAttribute("data-count") === "up";
      // Time used, or over (negative): it grows. Time left stops at zero until the next fetch
      // says "over time".
      var value = up ? seconds + gone : seconds < 0 ? gone - seconds : Math.max(0, seconds - gone);
      clocks[i].textContent = two(Math.floor(value / 60)) + ":" + two(value % 60);
    }
  }

  function refresh() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (text) {
        if (!text) { return; }
        var fresh = new DOMParser().parseFromString(text, "text/html")
          .querySelector("[data-screen-live]");
        if (fresh) {
          side.replaceWith(document.adoptNode(fresh));
          side = fresh;
          loaded = Date.now();
        }
      })
      .catch(function () { /* the network blinked: try again next time */ })
      .then(function () { setTimeout(refresh, every); });
  }

  setInterval(tick, 1000);
  setTimeout(refresh, every);
}());
