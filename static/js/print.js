// Progressive enhancement for the credentials pages. Without script: the page says to use the
// browser's Print command, and the print view and the print stylesheet do the rest.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("print-button");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }
  // The print view of every user opens the print dialog by itself.
  if (document.body.dataset.autoprint === "yes") window.print();
  // A copy button beside each password, where the browser lets a page write the clipboard.
  if (!navigator.clipboard) return;
  document.querySelectorAll("button.copy[data-copy]").forEach(function (copy) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(copy.dataset.copy).then(function () {
        copy.textContent = copy.dataset.copied;
      });
    });
  });
});
