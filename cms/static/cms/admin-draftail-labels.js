// Wagtail's rich text editor (Draftail) renders a contenteditable textbox without an accessible
// name; name it after the field's own label, also for editors added later (StreamField blocks).
(function () {
  "use strict";
  function labelEditors(root) {
    root.querySelectorAll(".public-DraftEditor-content:not([aria-label])").forEach(function (box) {
      var field = box.closest("[data-field-wrapper], .w-field__wrapper, .w-field");
      var label = field && field.querySelector("label, .w-field__label");
      var text = label ? label.textContent.replace(/\*/g, "").trim() : "";
      box.setAttribute("aria-label", text || "Text");
    });
  }
  function start() {
    labelEditors(document);
    new MutationObserver(function () { labelEditors(document); })
      .observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
