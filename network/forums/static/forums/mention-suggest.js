/* @mention suggestions for the forum composer (progressive enhancement: without this script
   people type @handle by hand, and it works the same).

   Pattern: the textarea stays a textbox (a textarea may not take role="combobox"); it gets
   aria-autocomplete="list", aria-controls the listbox, and aria-activedescendant the option
   chosen with the arrow keys. Up/Down move, Enter takes the option, Escape closes the list;
   a status region says how many suggestions there are. The list comes from the form's
   data-mention-url, which only returns people who may read the category. */
(function () {
  "use strict";

  var MIN_DELAY = 150;

  function setup(form) {
    var field = form.querySelector("textarea[name='body']");
    if (!field || !window.fetch) {
      return;
    }
    var url = form.getAttribute("data-mention-url");
    var listId = (field.id || "body") + "-mentions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", form.getAttribute("data-mention-label") || "");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    field.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    field.setAttribute("aria-autocomplete", "list");
    field.setAttribute("aria-controls", listId);

    var results = [];
    var active = -1;
    var token = null;
    var timer = null;
    var asked = 0;

    // "@" at the start or after a space or bracket, then up to 40 characters that are not a space.
    function currentToken() {
      var end = field.selectionStart;
      if (end !== field.selectionEnd) {
        return null;
      }
      var match = /(^|[\s(\[])@([^\s@]{0,40})$/.exec(field.value.slice(0, end));
      if (!match) {
        return null;
      }
      return { start: end - match[2].length - 1, end: end, query: match[2] };
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      results = [];
      active = -1;
      field.removeAttribute("aria-activedescendant");
    }

    function say(text) {
      status.textContent = text;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role='option']");
      active = index;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0 && options[index]) {
        field.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        field.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var person = results[index];
      if (!person || !token) {
        return;
      }
      var text = "@" + person.handle + " ";
      var value = field.value;
      field.value = value.slice(0, token.start) + text + value.slice(token.end);
      var caret = token.start + text.length;
      field.setSelectionRange(caret, caret);
      close();
      say("");
      field.focus();
    }

    function show(people) {
      close();
      results = people;
      if (!people.length) {
        say(form.getAttribute("data-mention-none") || "");
        return;
      }
      people.forEach(function (person, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "mention-list__name";
        name.textContent = person.name;
        var handle = document.createElement("span");
        handle.textContent = " @" + person.handle;
        option.appendChild(name);
        option.appendChild(handle);
        if (person.municipality) {
          var town = document.createElement("span");
          town.className = "muted";
          town.textContent = " · " + person.municipality;
          option.appendChild(town);
        }
        // mousedown, not click: the textarea keeps its focus and caret.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        list.appendChild(option);
      });
      list.hidden = false;
      say((form.getAttribute("data-mention-count") || "").replace("%(count)s", people.length));
    }

    function lookUp() {
      token = currentToken();
      if (!token || !token.query) {
        close();
        return;
      }
      var mine = ++asked;
      fetch(url + "?q=" + encodeURIComponent(token.query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (mine === asked) {
            show(data.results || []);
          }
        })
        .catch(close);
    }

    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, MIN_DELAY);
    });

    field.addEventListener("keydown", function (event) {
      if (list.hidden || !results.length) {
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(active + 1 >= results.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? results.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
        say("");
      }
    });

    field.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }

  document.querySelectorAll("form[data-mention-url]").forEach(setup);
})();
