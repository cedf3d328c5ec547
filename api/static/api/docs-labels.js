"use strict";
// Swagger UI draws its example pickers as <select> elements without a label, which screen
// readers announce as an unnamed list. Name each one as it appears. And put its title one level
// under the page's own heading, in a landmark, as the operations are in Swagger's own <main>.
(function () {
  const name = () => {
    // The page's own <h1> comes first; Swagger's title <h1> is the level below it, so its <h3>
    // sections follow a level-2 heading, as the outline of headings expects.
    document.querySelectorAll(".swagger-ui .info h1.title:not([aria-level])").forEach((title) => {
      title.setAttribute("aria-level", "2");
    });
    document.querySelectorAll(".swagger-ui .information-container:not([role])").forEach((about) => {
      about.setAttribute("role", "region");
      about.setAttribute("aria-label", "About the API");
    });
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
