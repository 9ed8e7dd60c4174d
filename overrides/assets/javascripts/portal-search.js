/* Care-access portal: the search page, reading the Pagefind index of this language.
 *
 * The index sits next to the language's pages (<lang>/pagefind/), in small
 * pieces: a search downloads the pieces its words need. The query is the page's
 * `q` parameter (the home page's form sends it), so a search can be bookmarked
 * and sent. Results are links with an excerpt; only Pagefind's <mark> around
 * the words found is kept from its excerpt, everything else is text. Without
 * this script the page offers the lists by kind and by commune.
 */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("portal-search-config").textContent);
  var form = document.querySelector("[data-portal-search]");
  var input = form.querySelector("input[name=q]");
  var status = document.querySelector("[data-portal-search-status]");
  var list = document.querySelector("[data-portal-search-results]");
  var elsewhere = document.querySelector("[data-portal-search-elsewhere]");
  var bundle = new URL(config.bundle, location.href);
  var engine = null;
  var current = 0;

  form.hidden = false;

  function load() {
    if (!engine) {
      engine = import(new URL("pagefind.js", bundle).href).then(function (pagefind) {
        // Result addresses are relative to the language's folder, wherever the site is hosted.
        return pagefind.options({ baseUrl: new URL("..", bundle).pathname }).then(function () { return pagefind; });
      });
    }
    return engine;
  }

  // Pagefind's excerpt is HTML with <mark> around the words found: keep the text and the marks only.
  function excerpt(html) {
    var paragraph = document.createElement("p");
    paragraph.className = "portal-search__excerpt";
    var parsed = new DOMParser().parseFromString("<body>" + html, "text/html").body;
    parsed.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        paragraph.appendChild(mark);
      } else {
        paragraph.appendChild(document.createTextNode(node.textContent));
      }
    });
    return paragraph;
  }

  function show(results) {
    list.textContent = "";
    results.forEach(function (result) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = result.url;
      link.textContent = (result.meta && result.meta.title) || result.url;
      item.appendChild(link);
      item.appendChild(excerpt(result.excerpt || ""));
      list.appendChild(item);
    });
  }

  function run(query) {
    var turn = ++current;
    query = query.trim();
    list.textContent = "";
    elsewhere.hidden = true;
    if (!query) {
      status.textContent = "";
      return;
    }
    status.textContent = config.texts.searching;
    load()
      .then(function (pagefind) { return pagefind.search(query); })
      .then(function (search) {
        return Promise.all(search.results.slice(0, 30).map(function (r) { return r.data(); }))
          .then(function (results) { return { total: search.results.length, results: results }; });
      })
      .then(function (found) {
        if (turn !== current) return;  // a newer search has started
        show(found.results);
        status.textContent = found.total ? config.texts.count.replace("%(n)s", String(found.total)) : config.texts.none;
        elsewhere.hidden = found.total > 0;
      })
      .catch(function () {
        if (turn !== current) return;
        status.textContent = config.texts.failed;
        elsewhere.hidden = false;
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(location.href);
    url.searchParams.set("q", input.value);
    history.replaceState(null, "", url.href);
    run(input.value);
  });

  var query = new URLSearchParams(location.search).get("q");
  if (query) {
    input.value = query;
    run(query);
  }
})();
