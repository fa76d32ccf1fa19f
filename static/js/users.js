// Progressive enhancement for the Users tab: the page check box ticks every row. Without
// script, the page check box is still sent and the server selects the page's rows.
document.addEventListener("DOMContentLoaded", function () {
  var pageBox = document.getElementById("page_all");
  if (!pageBox) return;
  var rows = document.querySelectorAll("#users tbody input[name=user_id]");
  pageBox.addEventListener("change", function () {
    rows.forEach(function (box) { box.checked = pageBox.checked; });
  });
});
