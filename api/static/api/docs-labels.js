"use strict";
// Swagger UI draws its example pickers as <select> elements without a label, which screen
// readers announce as an unnamed list. Name each one as it appears.
(function () {
  const name = () => {
    document.querySelectorAll("select.examples-select-element:not([aria-label])").forEach((select) => {
      select.setAttribute("aria-label", "Example");
    });
    document.querySelectorAll("select:not([aria-label]):not([id])").forEach((select) => {
      if (!select.closest("label")) {
        select.setAttribute("aria-label", "Choose a value");
      }
    });
  };
  new MutationObserver(name).observe(document.documentElement, { childList: true, subtree: true });
  name();
})();
