// The live board's client, part 1 of 4 (room_detail.html loads board-format.js,
// board-messages.js, board-live.js and board.js in this order; they share
// window.kinderstarkBoard). Text templates and times.
window.kinderstarkBoard = window.kinderstarkBoard || {};
(function (board) {
  "use strict";

  // "%(name)s is typing …" with values, as gettext's Python-format strings are written.
  board.fmt = function (template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  };

  // A message's time as the server renders it (_message.html: Django's SHORT_DATETIME_FORMAT for
  // the page's language, in the site's time zone), whatever the browser's zone or ICU version:
  // Intl gives the numbers in that zone, the server's format puts them in order.
  board.timeFormatter = function (lang, timeZone, format) {
    var parts = new Intl.DateTimeFormat(lang || undefined, {
      timeZone: timeZone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", numberingSystem: "latn"
    });
    return function (iso) {
      var p = {};
      parts.formatToParts(new Date(iso)).forEach(function (part) { p[part.type] = part.value; });
      var values = {
        d: p.day, j: String(Number(p.day)), m: p.month, n: String(Number(p.month)),
        Y: p.year, y: p.year.slice(-2), H: p.hour, G: String(Number(p.hour)), i: p.minute
      };
      var out = "";
      for (var k = 0; k < format.length; k++) {
        var c = format.charAt(k);
        if (c === "\\") { k += 1; out += format.charAt(k); }
        else out += Object.prototype.hasOwnProperty.call(values, c) ? values[c] : c;
      }
      return out;
    };
  };
})(window.kinderstarkBoard);
