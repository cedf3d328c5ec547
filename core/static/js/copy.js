// A "Copy" button for text a person must keep, such as a new share code. Without JavaScript the
// button stays hidden and the text can still be selected and copied by hand. The result is
// written into a live region, so a screen reader says "Copied" too.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!source || !status) {
      return;
    }
    button.hidden = false;

    function selectSource() {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }

    function say(message) {
      // Emptied first, so the same message is announced again on a second press.
      status.textContent = "";
      window.setTimeout(function () {
        status.textContent = message;
      }, 50);
    }

    button.addEventListener("click", function () {
      var text = source.textContent.trim();
      var copied = navigator.clipboard && window.isSecureContext
        ? navigator.clipboard.writeText(text)
        : Promise.reject(new Error("No clipboard"));
      copied.then(
        function () {
          say(button.getAttribute("data-copied-message") || "Copied");
        },
        function () {
          // Older browsers: select the text so that Ctrl+C (or a long press) copies it.
          selectSource();
          say("Selected: press Ctrl and C to copy it");
        }
      );
    });
  });
});
