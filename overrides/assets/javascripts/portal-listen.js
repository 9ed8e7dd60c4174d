/* « Écouter »: reads the page aloud with the browser's own voices (Web Speech API).
 *
 * What is read, and in which order, is said by the page, not guessed: the
 * elements marked [data-portal-listen="N"], by N, then in page order (the order
 * is the generator's: generator/render/listen.py). Each text is read in the
 * language it is marked with (lang="fr" on a French stand-in: a French voice), a
 * number as its [data-portal-say] says it; what is hidden (a passed date) is not read.
 * Only the device's own voices are used (localService): nothing leaves it.
 * The buttons ([data-portal-listen-tools], hidden) are shown once the browser has
 * a voice for the page's language; the words come from the page, in its language.
 */
(function () {
  "use strict";

  var synth = window.speechSynthesis;
  var Utterance = window.SpeechSynthesisUtterance;
  var box = document.querySelector("[data-portal-listen-tools]");
  if (!box || !synth || !Utterance) return;
  var start = box.querySelector("[data-portal-listen-start]");
  var pause = box.querySelector("[data-portal-listen-pause]");
  var stop = box.querySelector("[data-portal-listen-stop]");
  var status = box.querySelector("[role=status]");
  var page = document.documentElement.getAttribute("lang") || "fr";
  var UNSAID = /^(BUTTON|NOSCRIPT|SCRIPT|STYLE|SVG|TEMPLATE)$/;
  var voices = {}; // by language: this device's voice for it, or null
  var queue = [];
  var index = 0;
  var session = 0; // a new one at each start, pause and stop: the old one's events are ignored
  var reading = false;
  var current = null; // kept: some browsers drop the events of an utterance they collect

  function tag(code) {
    return String(code || "").toLowerCase().replace(/_/g, "-");
  }

  /* The device's voice for a language: its own (nothing sent anywhere), the
     browser's default first, then one of the language's own country (fr-FR). */
  function voiceFor(lang) {
    if (lang in voices) return voices[lang];
    var want = tag(lang), base = want.split("-")[0], best = null, score = -1;
    (synth.getVoices() || []).forEach(function (voice) {
      var own = tag(voice.lang);
      if (!voice.localService || own.split("-")[0] !== base) return;
      var points = (own === want ? 4 : 0) + (voice["default"] ? 2 : 0) + (own === base + "-" + base ? 1 : 0);
      if (points > score) { best = voice; score = points; }
    });
    return (voices[lang] = best);
  }

  function check() {
    voices = {};
    if (!reading) box.hidden = !voiceFor(page);
  }

  /* How an element is read: "" not at all, "block" as sentences of its own
     (what the page shows on lines of its own), "inline" within its sentence. */
  function shownAs(element) {
    if (element === box || element.hidden || element.getAttribute("aria-hidden") === "true") return "";
    if (UNSAID.test(element.tagName.toUpperCase()) || element.hasAttribute("data-portal-listen")) return "";
    var style = window.getComputedStyle(element);
    if (style.display === "none" || style.visibility === "hidden") return "";
    return element.tagName.toUpperCase() === "BR" || !/^inline/.test(style.display) ? "block" : "inline";
  }

  /* The page's parts in reading order, as [{text, lang}], one sentence each. */
  function collect() {
    var chunks = [], text = "", lang = page;

    function flush() {
      (text.replace(/\s+/g, " ").replace(/([.!?؟])\s+/g, "$1\n").split("\n")).forEach(function (sentence) {
        sentence = sentence.trim();
        // punctuation alone ("):" between two languages) is not said
        if (/[^\s.,;:!?()[\]«»"'’…·–—\-؟،؛]/.test(sentence)) chunks.push({ text: sentence, lang: lang });
      });
      text = "";
    }

    function add(words, language) {
      if (language !== lang) { flush(); lang = language; }
      text += words;
    }

    function walk(node, language) {
      for (var child = node.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === 3) add(child.data, language);
        var how = child.nodeType === 1 ? shownAs(child) : "";
        if (!how) continue;
        var block = how === "block";
        var own = child.getAttribute("lang") || language;
        var say = child.getAttribute("data-portal-say");
        if (block) flush();
        if (say) add(" " + say + " ", own);
        else walk(child, own);
        if (block) flush();
      }
    }

    Array.prototype.slice.call(document.querySelectorAll("[data-portal-listen]"))
      .filter(function (part) {
        // a part inside another is read with it; one not shown (a notice passed) is not read
        return !part.parentNode.closest("[data-portal-listen]") && part.getClientRects().length > 0;
      })
      .map(function (part, position) {
        return [Number(part.getAttribute("data-portal-listen")) || 0, position, part];
      })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
      .forEach(function (entry) {
        var marked = entry[2].closest("[lang]");
        flush();
        walk(entry[2], marked ? marked.getAttribute("lang") : page);
        flush();
      });
    return chunks;
  }

  function show(state) {
    var focused = document.activeElement;
    var on = state === "reading" || state === "paused";
    start.hidden = on;
    pause.hidden = stop.hidden = !on;
    pause.setAttribute("aria-pressed", String(state === "paused"));
    status.textContent = status.getAttribute("data-" + state);
    // the button pressed is gone: the keyboard goes on from the one that replaces it
    if (focused && focused.hidden && box.contains(focused)) (on ? pause : start).focus();
  }

  function speak() {
    if (index >= queue.length) return finish("ended");
    var chunk = queue[index], voice = voiceFor(chunk.lang), mine = session;
    if (!voice && index > 0 && !voiceFor(queue[index - 1].lang)) {
      index++; // said once for a run of text in a language this device has no voice for
      return speak();
    }
    var utterance = new Utterance(voice ? chunk.text : status.getAttribute("data-unread"));
    utterance.voice = voice || voiceFor(page);
    utterance.lang = utterance.voice.lang; // Chrome on Android picks the voice by this alone
    utterance.onend = utterance.onerror = function (event) {
      if (mine !== session || (event && (event.error === "interrupted" || event.error === "canceled"))) return;
      index++;
      speak();
    };
    current = utterance;
    synth.speak(utterance);
  }

  function finish(state) {
    session++;
    reading = false;
    index = 0;
    synth.cancel();
    show(state);
    check();
  }

  start.addEventListener("click", function () {
    session++;
    synth.cancel();
    queue = collect();
    index = 0;
    reading = true;
    show("reading");
    speak();
  });
  // Pausing stops the voice and remembers the sentence: resuming says it again.
  // (speechSynthesis.pause() does nothing on some phones.)
  pause.addEventListener("click", function () {
    session++;
    if (pause.getAttribute("aria-pressed") === "true") {
      show("reading");
      speak();
    } else {
      synth.cancel();
      show("paused");
    }
  });
  stop.addEventListener("click", function () { finish("stopped"); });
  box.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && reading) finish("stopped");
  });
  window.addEventListener("pagehide", function () { if (reading) finish("stopped"); });

  check();
  if (synth.addEventListener) synth.addEventListener("voiceschanged", check);
  else synth.onvoiceschanged = check;
})();
