/* Easy-read ("Facile à lire"): remembers the reader's choice, in this browser only.
 *
 * A page with an easy-read version links to it at the top
 * ([data-portal-easy="on"]); the easy-read page links back to the full one
 * ([data-portal-easy="off"]). Following either link records the choice; then
 * a page that has an easy-read version opens it first for whoever chose it.
 * Without this script the links work as they are: nothing is lost.
 */
(function () {
  "use strict";

  var KEY = "portal-easy-read";

  function chosen() {
    try {
      return window.localStorage.getItem(KEY) === "on";
    } catch (error) {
      return false; // storage refused (private browsing): the links still work
    }
  }

  function choose(on) {
    try {
      if (on) {
        window.localStorage.setItem(KEY, "on");
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (error) {
      /* nothing to remember */
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-portal-easy]") : null;
    if (link) {
      choose(link.getAttribute("data-portal-easy") === "on");
    }
  });

  var easy = document.querySelector('a[data-portal-easy="on"]');
  if (easy && chosen()) {
    window.location.replace(easy.href);
  }
})();
