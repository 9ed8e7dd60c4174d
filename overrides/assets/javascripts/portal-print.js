/* Print a sheet, send its link, and print a few chosen sheets as one document.
 *
 * Without this script a record page still prints as its sheet (Ctrl+P), large
 * print works (CSS), and the text-message and e-mail links work: the script
 * only adds what needs it:
 *   [data-portal-print]    "Print this sheet": shown, calls the browser's print;
 *   [data-portal-copy]     "Copy the link": shown, copies its address;
 *   [data-portal-printed]  the sheet's date: today's, when printed;
 *   [data-portal-pick]     a place or a right on a list: a box to tick. The
 *                          chosen sheets are remembered across list pages (in
 *                          this browser only) and printed together, one per page.
 * The words come from #portal-print-config, in the page's language.
 */
(function () {
  "use strict";

  var node = document.getElementById("portal-print-config");
  var config = {};
  try {
    config = node ? JSON.parse(node.textContent) : {};
  } catch (error) {
    config = {};
  }
  var texts = config.texts || {};
  var root = document.documentElement;
  var language = root.getAttribute("lang") || "fr";

  function all(selector, scope) {
    return Array.prototype.slice.call((scope || document).querySelectorAll(selector));
  }

  function say(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  // --- the printing date -------------------------------------------------

  function today() {
    try {
      // Gregorian calendar and Latin digits, as the pages write dates.
      return new Intl.DateTimeFormat(language + "-u-ca-gregory-nu-latn", { dateStyle: "long" }).format(new Date());
    } catch (error) {
      return new Date().toISOString().slice(0, 10);
    }
  }

  function datePrinted(scope) {
    all("[data-portal-printed]", scope).forEach(function (element) {
      element.textContent = say(element.getAttribute("data-portal-printed"), { date: today() });
    });
  }
  datePrinted();

  // --- print this sheet, copy its link -------------------------------------

  all("[data-portal-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  all("[data-portal-copy]").forEach(function (button) {
    if (!navigator.clipboard) return; // stays hidden: the address bar is there
    button.hidden = false;
    button.addEventListener("click", function () {
      var status = button.closest(".portal-tools").querySelector("[data-portal-copied]");
      navigator.clipboard.writeText(button.getAttribute("data-portal-copy")).then(function () {
        if (status) status.textContent = status.getAttribute("data-portal-copied");
      });
    });
  });

  // --- pick and print ------------------------------------------------------

  var key = "portal-picked-" + language;
  var memory = [];

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(key) || "[]");
      return Array.isArray(saved) ? saved : [];
    } catch (error) {
      return memory;
    }
  }

  function save(items) {
    memory = items;
    try {
      window.localStorage.setItem(key, JSON.stringify(items));
    } catch (error) { /* private browsing: kept for this page only */ }
  }

  function index(items, url) {
    for (var i = 0; i < items.length; i++) if (items[i].url === url) return i;
    return -1;
  }

  var picks = all("[data-portal-pick]");
  var bar = null;

  function refresh() {
    var items = load();
    all("input[data-portal-pick-url]").forEach(function (box) {
      box.checked = index(items, box.getAttribute("data-portal-pick-url")) >= 0;
    });
    if (!bar) return;
    bar.hidden = !items.length && !picks.length;
    bar.querySelector(".portal-picked-bar__count").textContent = items.length
      ? say(texts.count, { n: items.length })
      : texts.none;
    all("button", bar).forEach(function (button) { button.disabled = !items.length; });
  }

  function button(text, action) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "portal-tools__button";
    element.textContent = text;
    element.addEventListener("click", action);
    return element;
  }

  function sheetOf(html, url) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var article = page.querySelector("article.md-content__inner");
    if (!article) throw new Error(url);
    all("script, .portal-tools, .portal-map, .headerlink", article).forEach(function (element) { element.remove(); });
    // Links inside it point where they would from its own page.
    all("a[href]", article).forEach(function (link) { link.setAttribute("href", new URL(link.getAttribute("href"), url).href); });
    var sheet = document.createElement("article");
    sheet.className = "md-content__inner md-typeset portal-picked__sheet";
    sheet.setAttribute("lang", page.documentElement.getAttribute("lang") || language);
    sheet.setAttribute("dir", page.documentElement.getAttribute("dir") || root.getAttribute("dir") || "ltr");
    sheet.innerHTML = article.innerHTML;
    return sheet;
  }

  function printPicked() {
    var items = load();
    if (!items.length) return;
    var status = bar.querySelector("[role=status]");
    status.textContent = texts.preparing;
    Promise.all(items.map(function (item) {
      return fetch(item.url).then(function (response) {
        if (!response.ok) throw new Error(item.url);
        return response.text();
      }).then(function (html) { return sheetOf(html, item.url); });
    })).then(function (sheets) {
      var holder = document.createElement("div");
      holder.className = "portal-picked";
      sheets.forEach(function (sheet) { holder.appendChild(sheet); });
      if (window.portalNow) window.portalNow(holder); // passed dates hidden there too
      datePrinted(holder);
      document.querySelector(".md-content").appendChild(holder);
      root.classList.add("portal-printing-selection");
      status.textContent = "";
      window.addEventListener("afterprint", function done() {
        window.removeEventListener("afterprint", done);
        root.classList.remove("portal-printing-selection");
        holder.remove();
      });
      window.print();
    }).catch(function () {
      status.textContent = texts.failed;
    });
  }

  // The bar comes with the first sheet chosen, not with the page: put under the title
  // as the page shows, it would push the whole page down (a layout shift).
  function showBar() {
    if (bar) return;
    bar = document.createElement("div");
    bar.className = "portal-picked-bar";
    bar.setAttribute("role", "region");
    bar.setAttribute("aria-label", texts.region);
    var count = document.createElement("p");
    count.className = "portal-picked-bar__count";
    var status = document.createElement("p");
    status.setAttribute("role", "status");
    bar.appendChild(count);
    bar.appendChild(button(texts.print, printPicked));
    bar.appendChild(button(texts.clear, function () { save([]); refresh(); }));
    bar.appendChild(status);
    var title = document.querySelector("article.md-content__inner h1");
    if (title) title.insertAdjacentElement("afterend", bar);
  }
  if (load().length) showBar();

  picks.forEach(function (element, position) {
    var link = element.querySelector("a[href]");
    if (!link) return;
    var url = link.href.split("#")[0];
    var label = document.createElement("label");
    label.className = "portal-pick";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.setAttribute("data-portal-pick-url", url);
    var name = document.createElement("span");
    name.className = "portal-visually-hidden";
    name.textContent = " " + link.textContent;
    label.appendChild(box);
    label.appendChild(document.createTextNode(texts.pick));
    label.appendChild(name);
    element.appendChild(label);
    box.addEventListener("change", function () {
      var items = load();
      var found = index(items, url);
      if (box.checked && found < 0) items.push({ url: url, title: link.textContent });
      if (!box.checked && found >= 0) items.splice(found, 1);
      save(items);
      showBar();
      refresh();
    });
  });

  refresh();
  window.addEventListener("storage", function () { // ticked in another tab
    if (load().length) showBar();
    refresh();
  });
})();
