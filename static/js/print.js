// Progressive enhancement: the Print button appears only when script runs; without it the
// page says to use the browser's Print command, and the print stylesheet does the rest.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("print-button");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
