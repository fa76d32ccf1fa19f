// While an import runs, its progress card is updated from a small JSON answer once a second;
// when the run ends the page is loaded again to show the outcome. Without script the page
// refreshes itself (a <meta> inside <noscript>).
document.addEventListener("DOMContentLoaded", function () {
  var card = document.getElementById("progress-card");
  if (!card || !card.dataset.progressUrl) return;
  var bar = document.getElementById("progress");
  var text = document.getElementById("progress-text");
  var left = document.getElementById("time-left");
  function poll() {
    fetch(card.dataset.progressUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (p) {
        if (!p.active) { window.location.reload(); return; }
        bar.max = Math.max(p.total, 1);
        bar.value = p.done;
        if (text.textContent !== p.text) text.textContent = p.text;
        left.textContent = p.time_left || "";
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
});
