// Django's SelectFilter2.js puts the filter box's name on an icon as aria-label, but a plain span
// may not carry aria-label (ARIA 1.2), so screen readers drop it and the box has no name. With
// role="img" the icon's label is read as the label's text. This file is deferred, so its "load"
// listener runs after the one SelectFilter2.js adds to build the widget.
window.addEventListener("load", () => {
  for (const icon of document.querySelectorAll(".selector .help-tooltip[aria-label]")) {
    icon.setAttribute("role", "img");
  }
});
