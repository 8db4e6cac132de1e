/* pdca's few page behaviours, bound from data attributes: the Content-Security-Policy allows no
   inline script or event handler attribute, so every page's script is a file like this one.
   - <select data-submit-on-change>: choosing an option submits its form;
   - <form data-go-to-choice>: submitting opens the URL chosen in its <select>;
   - <a data-back href="…">: goes back in history when the visitor came from a pdca page,
     otherwise follows its link;
   - <button data-print>: prints the page. */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("select[data-submit-on-change]") && field.form) {
      field.form.submit();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-go-to-choice]")) return;
    var choice = form.querySelector("select");
    if (!choice || !choice.value) return;
    event.preventDefault();
    window.location.href = choice.value;
  });

  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-print], a[data-back]");
    if (!target) return;
    if (target.hasAttribute("data-print")) {
      event.preventDefault();
      window.print();
    } else if (window.history.length > 1 && document.referrer.indexOf(window.location.origin + "/") === 0) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
