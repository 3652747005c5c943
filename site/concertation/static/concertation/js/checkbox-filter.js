// A text input that narrows a long list of checkboxes (FilteredCheckboxes): accents
// and case ignored, the checked options always shown, the count announced politely.
// Without this script the list is shown whole, and the form works the same.
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function setUp(box) {
    var search = box.querySelector(".checkbox-filter__search");
    var input = box.querySelector("[data-checkbox-filter-input]");
    var count = box.querySelector("[data-checkbox-filter-count]");
    var options = Array.prototype.slice.call(box.querySelectorAll("[data-checkbox-filter-option]"));
    if (!search || !input || !count) {
      return;
    }
    search.hidden = false;

    function announce(shown) {
      var template = shown === 0 ? count.dataset.templateNone
        : shown === 1 ? count.dataset.templateOne : count.dataset.templateMany;
      count.textContent = template.replace("__count__", String(shown));
    }

    function apply() {
      var wanted = fold(input.value);
      var shown = 0;
      options.forEach(function (option) {
        var checkbox = option.querySelector("input");
        var visible = !wanted || (checkbox && checkbox.checked) ||
          fold(option.textContent).indexOf(wanted) !== -1;
        option.hidden = !visible;
        if (visible) {
          shown += 1;
        }
      });
      if (wanted) {
        announce(shown);
      } else {
        count.textContent = "";
      }
    }

    input.addEventListener("input", apply);
    // Enter in the filter must not submit the whole form half-filled.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
  }

  document.querySelectorAll("[data-checkbox-filter]").forEach(setUp);
})();
