/* 红帆: search-as-you-type pickers (core/pickers.py, templates/includes/picker.html).
   htmx asks the park's search endpoint as the user types; this file keeps what is chosen as hidden
   inputs, moves through the matches with the arrow keys, and never lets a long run of digits (an ID
   number) leave the page in a URL. */
(function () {
  "use strict";
  var LONG_DIGITS = /\d{5,}/;

  function pickerOf(node) { return node && node.closest ? node.closest("[data-picker]") : null; }
  function parts(picker) {
    return {
      input: picker.querySelector("input[role=combobox]"),
      results: picker.querySelector(".picker-results"),
      chosen: picker.querySelector(".picker-chosen")
    };
  }
  function options(picker) { return Array.prototype.slice.call(parts(picker).results.querySelectorAll("[role=option]")); }

  function close(picker) {
    var p = parts(picker);
    p.results.innerHTML = "";
    p.input.setAttribute("aria-expanded", "false");
    p.input.removeAttribute("aria-activedescendant");
  }

  function note(picker, text) {
    var p = parts(picker);
    close(picker);
    var message = document.createElement("p");
    message.className = "picker-note";
    message.setAttribute("role", "status");
    message.textContent = text;
    p.results.appendChild(message);
  }

  function activate(picker, index) {
    var list = options(picker), input = parts(picker).input;
    list.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
    if (list[index]) {
      input.setAttribute("aria-activedescendant", list[index].id);
      list[index].scrollIntoView({block: "nearest"});
    }
  }

  function choose(picker, option) {
    var p = parts(picker), value = option.getAttribute("data-value");
    if (picker.getAttribute("data-multiple") !== "true") {
      p.chosen.innerHTML = "";
    }
    var already = Array.prototype.some.call(p.chosen.querySelectorAll("input"), function (i) { return i.value === value; });
    if (!already) {
      var item = document.createElement("li"), hidden = document.createElement("input"),
          text = document.createElement("span"), detail = document.createElement("small"),
          remove = document.createElement("button"), label = option.getAttribute("data-label");
      hidden.type = "hidden";
      hidden.name = picker.getAttribute("data-name");
      hidden.value = value;
      detail.className = "muted";
      detail.textContent = option.getAttribute("data-detail");
      text.textContent = label + " ";
      text.appendChild(detail);
      remove.type = "button";
      remove.className = "picker-remove";
      remove.setAttribute("aria-label", "移除" + label);
      remove.textContent = "×";
      item.appendChild(hidden);
      item.appendChild(text);
      item.appendChild(remove);
      p.chosen.appendChild(item);
    }
    p.input.value = "";
    close(picker);
    p.input.focus();
  }

  /* While an input method composes (pinyin letters before the 汉字), nothing is asked; the
     composed text is asked once it is done. */
  document.addEventListener("compositionstart", function (event) {
    if (pickerOf(event.target)) { event.target.setAttribute("data-composing", "true"); }
  });
  document.addEventListener("compositionend", function (event) {
    if (!pickerOf(event.target)) { return; }
    event.target.removeAttribute("data-composing");
    event.target.dispatchEvent(new Event("input", {bubbles: true}));
  });

  /* The query goes as ?q=; a run of five digits or more is refused here, before any request. */
  document.addEventListener("htmx:configRequest", function (event) {
    var picker = pickerOf(event.detail.elt);
    if (!picker) { return; }
    if (event.detail.elt.hasAttribute("data-composing")) {
      event.preventDefault();
      return;
    }
    var q = event.detail.elt.value.trim();
    if (picker.getAttribute("data-tail-only") && LONG_DIGITS.test(q)) {
      event.preventDefault();
      note(picker, "请只输入身份证号后四位，不要输入完整身份证号。");
      return;
    }
    event.detail.parameters.q = q;
  });

  /* A refused query (400) carries its reason in Chinese: show it like the matches. */
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (pickerOf(event.detail.elt) && event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var picker = pickerOf(event.detail.elt);
    if (!picker) { return; }
    var input = parts(picker).input, list = options(picker);
    list.forEach(function (option, i) { option.id = input.id + "_option_" + i; });
    input.setAttribute("aria-expanded", list.length ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest("[data-picker] [role=option]");
    if (option) {
      choose(pickerOf(option), option);
      return;
    }
    var remove = event.target.closest("[data-picker] .picker-remove");
    if (remove) {
      var picker = pickerOf(remove);
      remove.parentNode.remove();
      parts(picker).input.focus();
    }
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (input.getAttribute("role") !== "combobox" || !pickerOf(input)) { return; }
    var picker = pickerOf(input), list = options(picker);
    var current = list.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!list.length) { return; }
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      activate(picker, current < 0 ? (step > 0 ? 0 : list.length - 1) : (current + step + list.length) % list.length);
    } else if (event.key === "Enter") {
      if (list.length && (current >= 0 || list.length === 1)) {
        event.preventDefault();  // choose, not submit the form
        choose(picker, list[current >= 0 ? current : 0]);
      } else if (input.value.trim()) {
        event.preventDefault();  // still searching
      }
    } else if (event.key === "Escape" && list.length) {
      event.preventDefault();
      close(picker);
    }
  });
})();
