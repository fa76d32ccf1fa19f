// Progressive enhancement for the Users tab. The ticked rows are the selection:
// - the page's box ticks or unticks every row, and shows checked, unchecked or mixed;
// - "Select all N users that match" ticks every row and says so in a bar; unticking any row,
//   or "Clear selection", clears it;
// - the action buttons wait until something is selected (the server checks again).
// Without script the server reads the boxes as they are sent (see domain::selection::chosen).
document.addEventListener("DOMContentLoaded", function () {
  var pageBox = document.getElementById("page_all");
  if (!pageBox) return;
  var allBox = document.getElementById("all_matching");
  var allBar = document.getElementById("all-selected");
  var clear = document.getElementById("clear-selection");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#users tbody input[name=user_id]"));
  var buttons = document.querySelectorAll(".selection-actions button");

  function refresh() {
    var ticked = rows.filter(function (box) { return box.checked; }).length;
    pageBox.checked = ticked > 0 && ticked === rows.length;
    pageBox.indeterminate = ticked > 0 && ticked < rows.length;
    if (allBox && allBox.checked && ticked < rows.length) allBox.checked = false;
    if (allBar) allBar.hidden = !(allBox && allBox.checked);
    var any = ticked > 0 || (allBox && allBox.checked);
    buttons.forEach(function (button) { button.disabled = !any; });
  }

  pageBox.addEventListener("change", function () {
    rows.forEach(function (box) { box.checked = pageBox.checked; });
    if (!pageBox.checked && allBox) allBox.checked = false;
    refresh();
  });
  rows.forEach(function (box) { box.addEventListener("change", refresh); });
  if (allBox) {
    allBox.addEventListener("change", function () {
      if (allBox.checked) rows.forEach(function (box) { box.checked = true; });
      refresh();
    });
  }
  if (clear) {
    clear.addEventListener("click", function () {
      if (allBox) allBox.checked = false;
      rows.forEach(function (box) { box.checked = false; });
      refresh();
    });
  }
  refresh();
});
