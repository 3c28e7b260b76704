// Progressive enhancement for the whole site. Without JavaScript everything still works: the
// navigation is simply always open and wide tables scroll with the mouse or touch.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // A table wider than the screen scrolls inside its .table-wrap; keyboard users can only
  // scroll it if the wrapper is focusable and named (WCAG 2.1.1, axe scrollable-region-focusable).
  function markScrollableTables() {
    document.querySelectorAll(".table-wrap:not([role])").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth) {
        wrap.setAttribute("data-scroll-region", "");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        var caption = wrap.querySelector("caption");
        if (caption && !wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
          wrap.setAttribute("aria-label", caption.textContent.replace(/\s+/g, " ").trim());
        }
      }
    });
    // Wrappers this function marked earlier and that fit again (the window grew).
    document.querySelectorAll(".table-wrap[data-scroll-region]").forEach(function (wrap) {
      if (wrap.scrollWidth <= wrap.clientWidth) {
        wrap.removeAttribute("data-scroll-region");
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  function setUpNavigation() {
    var toggle = document.querySelector("[data-nav-toggle]");
    var nav = document.getElementById("site-nav");
    if (!toggle || !nav) return;
    nav.setAttribute("data-collapsed", "true");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      nav.setAttribute("data-collapsed", String(open));
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        toggle.setAttribute("aria-expanded", "false");
        nav.setAttribute("data-collapsed", "true");
        toggle.focus();
      }
    });
  }

  // A form that gives something away (a seat, a place on the waiting list) asks first: its
  // data-confirm is the question. Without JavaScript it is sent at once, as before.
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    setUpNavigation();
    markScrollableTables();
    window.addEventListener("resize", markScrollableTables);
  });
})();
