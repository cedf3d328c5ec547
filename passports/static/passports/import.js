// Once "Record" is pressed, the button is disabled and the page says the work is under way, so
// a large file is not sent twice while the server records it. Without JavaScript the form
// works the same; a second press is refused by the server, which records a file only once.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-busy-message]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var message = form.getAttribute("data-busy-message");
      var status = document.getElementById(form.getAttribute("data-busy-status"));
      var button = form.querySelector("button[type=submit]");
      if (status) {
        status.textContent = message;
      }
      if (button) {
        // After this turn of the event loop: a button disabled during "submit" would still
        // send the form, but some browsers drop it from the submission.
        window.setTimeout(function () {
          button.disabled = true;
          button.textContent = message;
        }, 0);
      }
    });
  });
});
