/* Every page's reading aids (issue 17), all optional: without JavaScript the page reads as it is.
 *
 *   适老化/无障碍 toolbar  text size up to 200%, high contrast, line spacing, a large cursor, a reading
 *                         guide line, a simplified view, read-aloud (the browser's speech in zh-CN),
 *                         reset; settings kept across pages in localStorage ("a11y"), applied before
 *                         the page paints by the few lines in base.html's <head>
 *   字号 大/中/小, 打印     on article pages (kept across pages as well)
 *   跳转到第 N 页          the box under a long list
 */
(function () {
  "use strict";

  var KEY = "a11y";
  var SCALES = [1, 1.2, 1.4, 1.6, 1.8, 2];
  var TOGGLES = ["contrast", "spacing", "cursor", "guide", "simple", "point"];
  var root = document.documentElement;
  var settings = load();

  function load() {
    try {
      var saved = JSON.parse(localStorage.getItem(KEY) || "{}");
      return saved && typeof saved === "object" ? saved : {};
    } catch (e) {
      return {};  // storage refused (a private window): settings last for this page only
    }
  }

  function save() {
    try {
      localStorage.setItem(KEY, JSON.stringify(settings));
    } catch (e) { /* kept for this page only */ }
  }

  /* --- applying settings -------------------------------------------------------------------- */

  function apply() {
    TOGGLES.forEach(function (name) {
      root.classList.toggle("a11y-" + name, settings[name] === true);
    });
    var scale = SCALES.indexOf(settings.scale) > 0 ? settings.scale : 1;
    if (scale > 1) root.style.setProperty("--a11y-scale", String(scale));
    else root.style.removeProperty("--a11y-scale");
    root.classList.toggle("a11y-large", scale >= 1.4);  // phones then show one column (style.css)
    if (settings.prose) root.setAttribute("data-prose", settings.prose);
    else root.removeAttribute("data-prose");
    showState(scale);
  }

  function showState(scale) {
    var shown = document.querySelector(".a11y-scale");
    if (shown) shown.textContent = "文字 " + Math.round(scale * 100) + "%";
    each("[data-a11y]", function (button) {
      var name = button.getAttribute("data-a11y");
      if (TOGGLES.indexOf(name) >= 0) button.setAttribute("aria-pressed", String(settings[name] === true));
    });
    // aria-disabled, not disabled: a button at its limit keeps the keyboard's focus where the reader left it
    each("[data-a11y=bigger]", function (b) { b.setAttribute("aria-disabled", String(scale >= SCALES[SCALES.length - 1])); });
    each("[data-a11y=smaller]", function (b) { b.setAttribute("aria-disabled", String(scale <= SCALES[0])); });
    each("[data-prose-size]", function (button) {
      var size = button.getAttribute("data-prose-size");
      button.setAttribute("aria-pressed", String((settings.prose || "medium") === size));
    });
  }

  function each(selector, action) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), action);
  }

  function step(by) {
    var at = Math.max(0, SCALES.indexOf(settings.scale));
    settings.scale = SCALES[Math.min(SCALES.length - 1, Math.max(0, at + by))];
    save();
    apply();
  }

  /* --- the toolbar -------------------------------------------------------------------------- */

  var toolbar = document.getElementById("a11y-toolbar");
  var opener = document.querySelector(".a11y-open");

  function setOpen(open, focus) {
    if (!toolbar || !opener) return;
    toolbar.hidden = !open;
    opener.setAttribute("aria-expanded", String(open));
    settings.open = open;
    save();
    root.classList.remove("a11y-toolbar-open");  // shown before the page painted (base.html): now by `hidden`
    if (open && focus) toolbar.querySelector("button").focus();
    if (!open && focus) opener.focus();
  }

  function act(name) {
    if (name === "bigger") step(1);  // at 200% (or 100% for smaller) nothing changes: aria-disabled says so
    else if (name === "smaller") step(-1);
    else if (name === "reset") reset();
    else if (name === "close") setOpen(false, true);
    else if (name === "read") speech.toggleAll();
    else if (TOGGLES.indexOf(name) >= 0) {
      settings[name] = settings[name] !== true;
      if (name === "point" && !settings.point) speech.stop();
      save();
      apply();
    }
  }

  function reset() {
    speech.stop();
    var open = settings.open;
    settings = {open: open};
    save();
    apply();
  }

  if (toolbar && opener) {
    opener.hidden = false;
    opener.addEventListener("click", function () { setOpen(toolbar.hidden, true); });
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("[data-a11y]");
      if (button) act(button.getAttribute("data-a11y"));
    });
    toolbar.addEventListener("keydown", function (event) {
      if (event.key === "Escape") setOpen(false, true);
    });
    if (settings.open) setOpen(true, false);
  }

  /* --- read-aloud: the browser's own speech, in Chinese --------------------------------------- */

  var speech = (function () {
    var synth = window.speechSynthesis;
    var Utterance = window.SpeechSynthesisUtterance;
    var reading = null;  // the block being read aloud
    var turn = 0;  // each reading's number: what a cancelled one says afterwards is not heard
    var allButton = document.querySelector("[data-a11y=read]");
    var BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, dt, dd, th, td, figcaption, caption, blockquote";
    var POINTABLE = BLOCKS + ", a, button, label, summary, input, select";

    if (!synth || !Utterance) {  // no speech in this browser: no buttons that would do nothing
      each("[data-a11y=read], [data-a11y=point]", function (b) { b.hidden = true; });
      return {toggleAll: function () {}, stop: function () {}, point: function () {}};
    }

    function voice() {
      var voices = synth.getVoices ? synth.getVoices() : [];
      for (var i = 0; i < voices.length; i++) {
        if (/^zh[-_]CN/i.test(voices[i].lang)) return voices[i];
      }
      return null;
    }

    function say(text, element, last) {
      var mine = turn;
      var utterance = new Utterance(text);
      utterance.lang = "zh-CN";
      var chosen = voice();
      if (chosen) utterance.voice = chosen;
      utterance.onstart = function () { if (mine === turn) mark(element); };
      utterance.onend = function () { if (last && mine === turn) done(); };
      utterance.onerror = function () { if (mine === turn) done(); };  // no voice, or not allowed yet: stop
      synth.speak(utterance);
    }

    function mark(element) {
      if (reading) reading.classList.remove("a11y-reading");
      reading = element || null;
      if (reading) {
        reading.classList.add("a11y-reading");
        if (reading.scrollIntoView && !inView(reading)) reading.scrollIntoView({block: "center"});
      }
    }

    function inView(element) {
      var box = element.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= window.innerHeight;
    }

    function done() {
      mark(null);
      if (allButton) allButton.textContent = "朗读全文";
    }

    function textOf(element) {
      var label = element.getAttribute("aria-label") || element.getAttribute("alt");
      var text = label || element.innerText || element.value || "";
      return text.replace(/\s+/g, " ").trim();
    }

    // The blocks of the page's text in reading order, each with its own words: a list item holding a
    // nested list is read by its own words, then by its items.
    function parts() {
      var main = document.getElementById("main");
      if (!main) return [];
      return Array.prototype.filter.call(main.querySelectorAll(BLOCKS), function (element) {
        return element.getClientRects().length > 0 && !element.closest("[aria-hidden=true], [data-a11y-skip]");
      }).map(function (element) {
        if (!element.querySelector(BLOCKS)) return [element, textOf(element)];
        var own = element.cloneNode(true);
        Array.prototype.forEach.call(own.querySelectorAll(BLOCKS), function (inner) { inner.remove(); });
        return [element, own.textContent.replace(/\s+/g, " ").trim()];
      }).filter(function (part) { return part[1]; });
    }

    function readAll() {
      stop();
      var found = parts();
      if (!found.length) return;
      if (allButton) allButton.textContent = "停止朗读";
      found.forEach(function (part, index) { say(part[1], part[0], index === found.length - 1); });
    }

    function stop() {
      turn += 1;
      synth.cancel();
      done();
    }

    var lastPointed = null;

    function point(element) {
      var target = element && element.closest && element.closest(POINTABLE);
      if (!target || target === lastPointed) return;
      lastPointed = target;
      var text = textOf(target);
      if (!text) return;
      stop();
      say(text, target, true);
    }

    return {
      toggleAll: function () {
        if (allButton && allButton.textContent === "停止朗读") stop();
        else readAll();
      },
      stop: stop,
      point: point
    };
  })();

  var pointTimer = null;
  document.addEventListener("mouseover", function (event) {
    if (settings.point !== true) return;
    clearTimeout(pointTimer);
    pointTimer = setTimeout(function () { speech.point(event.target); }, 250);
  });
  document.addEventListener("focusin", function (event) {
    if (settings.point === true) speech.point(event.target);
    if (settings.guide === true) guideAt(event.target.getBoundingClientRect().top + 10);
  });

  /* --- reading guide: a band that follows the pointer, or the focus --------------------------- */

  var guide = document.createElement("div");
  guide.className = "a11y-guide-line";
  guide.setAttribute("aria-hidden", "true");
  document.body.appendChild(guide);

  function guideAt(y) {
    guide.style.top = Math.max(0, y - 4) + "px";
  }

  document.addEventListener("pointermove", function (event) {
    if (settings.guide === true) guideAt(event.clientY);
  }, {passive: true});

  /* --- article tools: 字号 and 打印 ----------------------------------------------------------- */

  each(".article-tools", function (tools) { tools.hidden = false; });
  document.addEventListener("click", function (event) {
    var size = event.target.closest("[data-prose-size]");
    if (size) {
      var chosen = size.getAttribute("data-prose-size");
      settings.prose = chosen === "medium" ? undefined : chosen;
      save();
      apply();
    }
    if (event.target.closest("[data-print]")) window.print();
  });

  function printDate() {
    var today = new Date();
    each("[data-print-date]", function (slot) {
      slot.textContent = today.getFullYear() + "年" + (today.getMonth() + 1) + "月" + today.getDate() + "日";
    });
  }
  printDate();
  window.addEventListener("beforeprint", printDate);

  /* --- 跳转到第 N 页 ---------------------------------------------------------------------------- */

  each("form.page-jump", function (form) {
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var total = Number(form.getAttribute("data-total"));
      var number = Math.round(Number(form.elements.page.value));
      if (!(number >= 1 && number <= total)) {
        form.elements.page.setCustomValidity("请输入 1 到 " + total + " 之间的页码");
        form.reportValidity();
        return;
      }
      location.href = number === 1 ? form.getAttribute("data-first")
        : form.getAttribute("data-pattern").replace(form.getAttribute("data-placeholder"), String(number));
    });
    form.elements.page.addEventListener("input", function () { form.elements.page.setCustomValidity(""); });
  });

  apply();
})();
