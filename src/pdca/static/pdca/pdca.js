/* pdca's few page behaviours, bound from data attributes: the Content-Security-Policy allows no
   inline script or event handler attribute, so every page's script is a file like this one.
   - <select data-submit-on-change>: choosing an option submits its form;
   - <form data-go-to-choice>: submitting opens the URL chosen in its <select>;
   - <a data-back href="…">: goes back in history when the visitor came from a pdca page,
     otherwise follows its link;
   - <button data-print>: prints the page;
   - <select data-picker>: a searchable picker (the vendored Tom Select), also in content htmx
     swaps in; without script the native select works as it is;
   - <button data-menu-toggle aria-controls>: opens and closes the phone's navigation. */
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

  function pickers(root) {
    if (!window.TomSelect || !root.querySelectorAll) return;
    var selects = root.querySelectorAll("select[data-picker]:not(.tomselected)");
    Array.prototype.forEach.call(selects, function (select) {
      if (select.getAttribute("data-picker") === "off") return;
      var many = select.multiple;
      var empty = select.getAttribute("data-picker-empty") || "";
      var picker = new window.TomSelect(select, {
        plugins: many ? ["remove_button"] : [],
        maxOptions: null,
        allowEmptyOption: true,
        hideSelected: many,
        closeAfterSelect: !many,
        create: false,
        render: {
          no_results: function () {
            var div = document.createElement("div");
            div.className = "no-results";
            div.textContent = empty;
            return div;
          }
        }
      });
      // The native select stays in the page (hidden) for the form: it keeps the label's name,
      // which Tom Select moves to its own search box.
      var label = (picker.focus_node || picker.control_input).getAttribute("aria-labelledby");
      if (label) select.setAttribute("aria-labelledby", label);
    });
  }

  // htmx keeps a copy of the page for its history: a copy of the enhanced markup would come back
  // without its script, so the pickers are undone before it is taken (and redone after).
  document.addEventListener("htmx:beforeHistorySave", function () {
    Array.prototype.forEach.call(document.querySelectorAll("select.tomselected"), function (s) {
      if (s.tomselect) s.tomselect.destroy();
    });
  });

  // Tables become stacked cards on a phone (pdca.css): each cell is labelled with its column's
  // heading, also in rows htmx swaps in. A table opts out with data-no-cards.
  function stackTables(root) {
    if (!root.querySelectorAll) return;
    var tables = [];
    var own = root.closest && root.closest("table");
    if (own) tables.push(own);
    Array.prototype.push.apply(tables, root.querySelectorAll("table"));
    tables.forEach(function (table) {
      if (table.hasAttribute("data-no-cards") || !table.tHead) return;
      var heads = [];
      var row = table.tHead.rows[table.tHead.rows.length - 1];
      Array.prototype.forEach.call(row ? row.cells : [], function (th) {
        for (var i = 0; i < (th.colSpan || 1); i++) heads.push(th.textContent.trim());
      });
      table.classList.add("stackable");
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (tr) {
          var column = 0;
          Array.prototype.forEach.call(tr.cells, function (cell) {
            if (!cell.hasAttribute("data-label") && cell.colSpan === 1) {
              cell.setAttribute("data-label", heads[column] || "");
            }
            column += cell.colSpan || 1;
          });
        });
      });
    });
  }

  // A table that scrolls sideways can be scrolled with the keyboard: its wrapper takes focus.
  function scrollables(root) {
    if (!root.querySelectorAll) return;
    Array.prototype.forEach.call(root.querySelectorAll(".table-wrap:not([tabindex])"), function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth) wrap.setAttribute("tabindex", "0");
    });
  }

  function enhance(root) {
    pickers(root);
    stackTables(root);
    scrollables(root);
  }

  document.documentElement.classList.add("js");
  if (window.htmx) {
    window.htmx.onLoad(enhance);
  } else {
    enhance(document);
  }

  // The phone's navigation: a disclosure button shows and hides the sidebar's list.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-menu-toggle]");
    if (!button) return;
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) return;
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("open", open);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var button = document.querySelector("[data-menu-toggle][aria-expanded=true]");
    if (!button) return;
    button.setAttribute("aria-expanded", "false");
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    if (menu) menu.classList.remove("open");
    button.focus();
  });
})();
