/* Keeps a site built on Monday right on Friday, without a framework.
 *
 * The pages carry the build's dates as data (see generator/render/views.py):
 *   [data-end]            a session or notice, with its end in Unix seconds: hidden once passed;
 *   [data-portal-first]   a card's next dates: only the first not passed is shown;
 *   [data-portal-list]    a list that shows its [data-portal-empty] line once all is passed;
 *   [data-portal-group]   a day of a calendar, hidden once all its sessions have passed;
 *   [data-portal-week]    a week of a calendar (its Monday): "this week" is said of the right one;
 *   [data-open]           a place's openings, for "Open now, until 12 h" / "Closed now, opens at 14 h".
 * The words and time formats come from #portal-now-config, written in the page's
 * language by the generator. Without this script, the pages say "dates as of".
 */
(function () {
  "use strict";

  var node = document.getElementById("portal-now-config");
  if (!node) return;
  var config;
  try {
    config = JSON.parse(node.textContent);
  } catch (error) {
    return;
  }
  var now = Date.now() / 1000;

  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  function passed(element) {
    return Number(element.getAttribute("data-end")) <= now;
  }

  function say(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  // --- wall-clock time in the territory's zone ---------------------------

  var parts;
  try {
    parts = new Intl.DateTimeFormat("en-GB", {
      timeZone: config.zone, hourCycle: "h23",
      year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit"
    });
  } catch (error) {
    parts = null; // no time zone support: dates still go, "open now" is not said
  }

  /* {date: "2026-12-01", weekday: 0 (Monday), hour: 9, minute: 30} at a Unix time. */
  function local(seconds) {
    var found = {};
    parts.formatToParts(new Date(seconds * 1000)).forEach(function (part) { found[part.type] = part.value; });
    var date = found.year + "-" + found.month + "-" + found.day;
    var weekday = (new Date(Date.UTC(+found.year, +found.month - 1, +found.day)).getUTCDay() + 6) % 7;
    return { date: date, weekday: weekday, hour: +found.hour % 24, minute: +found.minute };
  }

  function addDays(isoDate, days) {
    var day = new Date(isoDate + "T00:00:00Z");
    day.setUTCDate(day.getUTCDate() + days);
    return day.toISOString().slice(0, 10);
  }

  /* A time written with the catalog's CLDR pattern: "H 'h' mm" gives "9 h 30". */
  function clock(moment) {
    var pattern = moment.minute === 0 ? config.hour : config.time;
    var fields = { H: String(moment.hour), HH: ("0" + moment.hour).slice(-2),
                   m: String(moment.minute), mm: ("0" + moment.minute).slice(-2) };
    var out = "";
    var tokens = pattern.match(/'[^']*'|H{1,2}|m{1,2}|[^'Hm]+/g) || [];
    for (var i = 0; i < tokens.length; i++) {
      var token = tokens[i];
      if (token.charAt(0) === "'") out += token.slice(1, -1);
      else if (token in fields) out += fields[token];
      else if (/[A-Za-z]/.test(token)) return fields.HH + ":" + fields.mm; // a pattern we do not read
      else out += token;
    }
    return out;
  }

  /* Brings `scope` (the page, or sheets added to it for printing) up to now. */
  function update(scope) {
    // --- what has passed goes ----------------------------------------------

    all("[data-end]", scope).forEach(function (element) {
      if (passed(element)) element.hidden = true;
    });

    all("[data-portal-first]", scope).forEach(function (box) {
      var shown = false;
      all("[data-end]", box).forEach(function (element) {
        element.hidden = shown || passed(element);
        if (!element.hidden) shown = true;
      });
      var empty = box.querySelector("[data-portal-empty]");
      if (empty) empty.hidden = shown;
    });

    all("[data-portal-group]", scope).forEach(function (group) {
      var items = all("[data-end]", group);
      if (items.length && items.every(function (element) { return element.hidden; })) group.hidden = true;
    });

    all("[data-portal-list]", scope).forEach(function (list) {
      var items = all("[data-end]", list);
      var empty = list.querySelector("[data-portal-empty]");
      if (empty && items.length) empty.hidden = items.some(function (element) { return !element.hidden; });
    });

    if (!parts) return;
    var today = local(now);
    var monday = addDays(today.date, -today.weekday);

    all("[data-portal-week]", scope).forEach(function (week) {
      var start = week.getAttribute("data-portal-week");
      if (start < monday) {
        week.hidden = true;
        return;
      }
      var label = week.querySelector("[data-portal-relative]");
      if (!label) return;
      var relative = start === monday ? config.texts.this_week
        : start === addDays(monday, 7) ? config.texts.next_week : "";
      label.textContent = relative ? relative + " · " : "";
    });

    // --- open now ----------------------------------------------------------

    /* "29402880 540 210 90 270": when the page's knowledge starts (the build
       day's midnight), in minutes since 1970, then the gap to the first opening,
       then the lengths of each opening and each gap. Back to the start in seconds
       and [[start, end], ...], with openings that touch (a day cut at midnight) joined. */
    function openings(text) {
      var numbers = text.trim().split(/\s+/).map(Number);
      var spans = [];
      var cursor = numbers[0] + (numbers[1] || 0);
      for (var i = 2; i < numbers.length; i += 2) {
        var end = cursor + numbers[i];
        var last = spans[spans.length - 1];
        if (last && last[1] === cursor * 60) last[1] = end * 60;
        else spans.push([cursor * 60, end * 60]);
        cursor = end + (numbers[i + 1] || 0);
      }
      return { since: numbers[0] * 60, spans: spans };
    }

    all("[data-open]", scope).forEach(function (element) {
      var text = element.getAttribute("data-open");
      if (!text) return;
      var known = openings(text), spans = known.spans;
      // Before the day the page was built for, it knows nothing of the days between.
      if (now < known.since) return;
      var message = "";
      var open = false;
      for (var i = 0; i < spans.length && !message; i++) {
        var start = spans[i][0], end = spans[i][1];
        if (start <= now && now < end) {
          open = true;
          message = say(config.texts.open, { time: clock(local(end)) });
        } else if (start > now) {
          var opening = local(start);
          var values = { time: clock(opening), day: config.days[opening.weekday] };
          message = opening.date === today.date ? say(config.texts.opens_today, values)
            : opening.date === addDays(today.date, 1) ? say(config.texts.opens_tomorrow, values)
            : say(config.texts.opens_later, values);
        }
      }
      // Past the last opening the page knows of, nothing is claimed.
      if (!message) return;
      element.textContent = message;
      element.classList.add(open ? "portal-now--open" : "portal-now--closed");
      element.hidden = false;
    });
  }

  update(document);
  window.portalNow = update;
})();
