// khabar reader: keyboard shortcuts. j/k next/previous item, o open it, / search, ? help.
// Any keyboard layout: keys are read by position (e.code) when they have one.
(function () {
  "use strict";
  var current = -1;
  function items() { return Array.prototype.slice.call(document.querySelectorAll("main .item")); }
  function select(i) {
    var list = items();
    if (!list.length) { return; }
    current = Math.max(0, Math.min(i, list.length - 1));
    list.forEach(function (el, n) { el.classList.toggle("selected", n === current); });
    list[current].scrollIntoView({ block: "nearest" });
    var link = list[current].querySelector("a.open, a");
    if (link) { link.focus({ preventScroll: true }); }
  }
  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }
  function help() {
    var d = document.getElementById("help");
    if (!d) { return; }
    if (d.open) { d.close(); } else { d.showModal(); }
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) { return; }
    // By physical key first, so the shortcuts also work with a Persian keyboard layout
    // (where the J key types "ت" and Shift+/ types "؟").
    var byCode = { KeyJ: "j", KeyK: "k", KeyO: "o" };
    var key = byCode[e.code] || e.key;
    if (key === "?" || key === "؟" || (e.code === "Slash" && e.shiftKey)) { key = "?"; }
    else if (e.code === "Slash") { key = "/"; }
    if (key === "j") { select(current + 1); e.preventDefault(); }
    else if (key === "k") { select(current - 1); e.preventDefault(); }
    else if (key === "o" || key === "Enter" && current >= 0) {
      var list = items();
      var link = current >= 0 && list[current] ? list[current].querySelector("a.open, a") : null;
      if (link) { window.location.href = link.href; e.preventDefault(); }
    }
    else if (key === "/") { var q = document.getElementById("q"); if (q) { q.focus(); q.select(); e.preventDefault(); } }
    else if (key === "?") { help(); e.preventDefault(); }
  });
  document.addEventListener("click", function (e) {
    if (e.target && e.target.closest && e.target.closest("[data-help]")) { help(); }
  });
})();
