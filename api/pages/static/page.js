// Small improvements over the server-rendered forms; everything works without this file.
// - "Add another step" adds a row in the page instead of asking the server again.
// - When the page shows problems with the answers, focus moves to their list.
// Nothing is stored: no cookies, no localStorage/sessionStorage, no requests.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  var button = document.getElementById("add-row");
  var rows = document.getElementById("history-rows");
  if (!button || !rows) { return; }
  button.addEventListener("click", function (event) {
    var all = rows.querySelectorAll(".history-row");
    var last = all[all.length - 1];
    if (!last) { return; }
    event.preventDefault();
    var n = all.length;
    var copy = last.cloneNode(true);
    copy.setAttribute("data-row", String(n));
    copy.querySelector("legend").textContent =
      last.querySelector("legend").textContent.replace(/\d+/, String(n + 1));
    copy.querySelectorAll("[name],[id],[for],[aria-describedby]").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(/([.-])\d+([.-])/, "$1" + n + "$2")); }
      });
      el.removeAttribute("aria-describedby");
      el.removeAttribute("aria-invalid");
      if (el.tagName === "SELECT") { el.selectedIndex = 0; }
      else if (el.tagName === "INPUT") { el.value = ""; }
    });
    copy.querySelectorAll(".error").forEach(function (el) { el.remove(); });
    rows.appendChild(copy);
    copy.querySelector("select, input").focus();
  });
});
