// A form sent back with errors: move the focus to its error summary, so that keyboard
// and screen-reader users start from the list of what to fix (each item a link to its
// field). Without this script the summary is still announced (role="alert") and first.
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
})();
