// The live board's client, part 3 of 4: what the page says by itself — the polite live region,
// new-message announcements, who is typing, who is online.
(function (board) {
  "use strict";

  // One polite live region; each text replaces the last, so a screen reader reads it once.
  board.liveRegion = function (el) {
    return function politely(text) {
      el.textContent = "";
      var p = document.createElement("p");
      p.textContent = text;
      el.appendChild(p);
    };
  };

  // New messages are announced at most every 3 s: one by name, several as a count.
  board.announcer = function (T, politely) {
    var queue = [];
    var timer = null;
    function flush() {
      timer = null;
      if (!queue.length) return;
      var text;
      if (queue.length === 1) {
        var tmp = document.createElement("div");
        tmp.innerHTML = queue[0].body_html;
        text = board.fmt(T.new_one, { name: queue[0].author.name, text: (tmp.textContent || "").slice(0, 140) });
      } else {
        text = board.fmt(T.new_many, { count: queue.length });
      }
      queue = [];
      politely(text);
      timer = setTimeout(function () { timer = null; if (queue.length) flush(); }, 3000);
    }
    return function announce(m) {
      queue.push(m);
      if (!timer) timer = setTimeout(flush, 1500);
    };
  };

  // "Anna is typing …" for 4 s after each `typing` frame.
  board.typing = function (el, T) {
    var people = {}; // user id -> {name, until}
    function render() {
      var now = Date.now();
      var names = [];
      Object.keys(people).forEach(function (id) {
        if (people[id].until > now) names.push(people[id].name); else delete people[id];
      });
      el.textContent = names.length === 0 ? "" :
        names.length === 1 ? board.fmt(T.typing_one, { name: names[0] }) : board.fmt(T.typing_many, { names: names.join(", ") });
    }
    return function show(user) {
      people[user.id] = { name: user.name, until: Date.now() + 4000 };
      render();
      setTimeout(render, 4100);
    };
  };

  board.online = function (el, T) {
    return function render(people) {
      el.textContent = "";
      people.forEach(function (p) {
        var li = document.createElement("li");
        li.textContent = p.name;
        el.appendChild(li);
      });
      if (!people.length) {
        var li = document.createElement("li");
        li.textContent = T.nobody;
        el.appendChild(li);
      }
    };
  };
})(window.kinderstarkBoard);
