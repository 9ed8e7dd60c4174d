/* Care-access portal: the theme's search worker, with query words stemmed.
 *
 * For search-as-you-type, the theme adds a wildcard to every word of the query
 * ("médecins*"), and lunr does not stem words that carry a wildcard: "médecins"
 * would never find the stem "médecin" in the index, nor an Arabic word its
 * normalised stem. Here each word is stemmed with the language's stemmer first,
 * then gets its wildcard back. Everything else is the theme's own worker, which
 * this script loads (its file name comes in the "theme" parameter).
 */
(function () {
  "use strict";
  var theme = new URL(self.location.href).searchParams.get("theme");
  var language = null; // set by the theme's set-up message, when the index stems words

  self.addEventListener("message", function (event) {
    var message = event.data;
    if (message && message.type === 0 && message.data && message.data.config) {
      var config = message.data.config;
      var stems = (config.pipeline || []).indexOf("stemmer") >= 0;
      language = stems && config.lang.length === 1 ? config.lang[0] : null;
    }
  });

  importScripts(theme);

  var lunr = self.lunr;
  var parseTerm = lunr.QueryParser.parseTerm;
  lunr.QueryParser.parseTerm = function (parser) {
    var lexeme = parser.peekLexeme();
    var rules = language === "en" ? lunr : language && lunr[language];
    if (rules && rules.stemmer && lexeme && /^[^*].*\*$/.test(lexeme.str)) {
      var word = lexeme.str.slice(0, -1).toLowerCase();
      var stem = rules.stemmer(new lunr.Token(word)).toString();
      if (stem) {
        lexeme.str = stem + "*";
      }
    }
    return parseTerm(parser);
  };
})();
