// The projector page: fetch the page again every few seconds and swap in the changing part
// (current item, latest ideas), so the QR code never flickers. Without JavaScript the page's
// <noscript> refresh reloads it whole instead.
(function () {
  "use strict";
  var side = document.querySelector("[data-screen-live]");
  var every = Number(document.body.getAttribute("data-refresh")) * 1000;
  if (!side || !window.fetch || !window.DOMParser || !every) { return; }

  function refresh() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (text) {
        if (!text) { return; }
        var fresh = new DOMParser().parseFromString(text, "text/html")
          .querySelector("[data-screen-live]");
        if (fresh) { side.replaceWith(document.adoptNode(fresh)); side = fresh; }
      })
      .catch(function () { /* the network blinked: try again next time */ })
      .then(function () { setTimeout(refresh, every); });
  }

  setTimeout(refresh, every);
}());
