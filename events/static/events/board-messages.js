// The live board's client, part 2 of 4: the list of messages. Every message, whether it came
// with the page or over the socket, has the markup of events/_message.html: the page renders
// that partial once more, blank, into <template data-board-message-template>, and messages
// that arrive later are clones of it, filled in.
(function (board) {
  "use strict";

  // o: {list, template, T, userId, canModerate, canEdit, formatTime, send, onRemoved}
  board.messageList = function (o) {
    var list = o.list;
    var T = o.T;

    function el(id) { return document.getElementById("msg-" + id); }

    function build(m) {
      var li = o.template.content.querySelector(".board-msg").cloneNode(true);
      var id = "msg-" + m.id;
      li.id = id;
      li.dataset.id = m.id;
      li.dataset.authorId = m.author.id;
      li.dataset.nonce = m.nonce || "";
      if (typeof m.body === "string") li.dataset.body = m.body; // the author's Markdown
      li.querySelector("article").setAttribute("aria-labelledby", id + "-meta");
      li.querySelector(".board-msg__meta").id = id + "-meta";
      li.querySelector(".board-msg__author").textContent = m.author.name;
      var municipality = li.querySelector(".board-msg__municipality");
      if (m.author.municipality) {
        municipality.textContent = "(" + m.author.municipality + ")";
      } else {
        // The partial leaves out the span and the space before it.
        var gap = municipality.previousSibling;
        if (gap && gap.nodeType === Node.TEXT_NODE && !gap.textContent.trim()) gap.remove();
        municipality.remove();
      }
      var time = li.querySelector("time");
      time.dateTime = m.created;
      time.textContent = o.formatTime(m.created);
      li.querySelector(".board-msg__edited").hidden = !m.edited;
      li.querySelector(".board-msg__body").innerHTML = m.body_html; // sanitised on the server
      addActions(li);
      return li;
    }

    // Edit (own messages, while one may write) and Delete (own, or any for a moderator).
    function addActions(li) {
      if (li.querySelector(".board-msg__actions")) return;
      var mine = Number(li.dataset.authorId) === o.userId;
      if (!mine && !o.canModerate) return;
      var bar = document.createElement("div");
      bar.className = "board-msg__actions";
      if (mine && o.canEdit) {
        var edit = document.createElement("button");
        edit.type = "button";
        edit.className = "link-button";
        edit.textContent = T.edit;
        edit.addEventListener("click", function () { startEdit(li, edit); });
        bar.appendChild(edit);
      }
      var del = document.createElement("button");
      del.type = "button";
      del.className = "link-button";
      del.textContent = T.delete;
      del.addEventListener("click", function () {
        if (window.confirm(T.confirm_delete)) o.send({ type: "delete", id: Number(li.dataset.id) });
      });
      bar.appendChild(del);
      li.querySelector("article").appendChild(bar);
    }

    // `opener`: the message's Edit button, which gets the focus back when the form closes.
    function startEdit(li, opener) {
      if (li.querySelector("form")) return;
      var body = li.querySelector(".board-msg__body");
      var editForm = document.createElement("form");
      var label = document.createElement("label");
      var field = document.createElement("textarea");
      field.id = li.id + "-edit";
      field.maxLength = 4000;
      label.htmlFor = field.id;
      label.textContent = T.edit_label;
      // The author's Markdown (the `body` of their frames, data-body on the rendered page), so
      // links and formatting survive an edit; the shown text only if it is missing.
      field.value = li.dataset.body !== undefined ? li.dataset.body : (body.innerText || "").trim();
      var save = document.createElement("button");
      save.type = "submit";
      save.textContent = T.save;
      var cancel = document.createElement("button");
      cancel.type = "button";
      cancel.className = "button--secondary";
      cancel.textContent = T.cancel;
      // An empty text is said at the field, as the composer says it (the server refuses it too).
      var error = document.createElement("p");
      error.id = field.id + "-error";
      error.className = "errorlist";
      error.setAttribute("role", "alert");
      error.hidden = true;
      editForm.appendChild(label);
      editForm.appendChild(error);
      editForm.appendChild(field);
      editForm.appendChild(save);
      editForm.appendChild(cancel);
      li.querySelector("article").appendChild(editForm);
      field.focus();
      function done() {
        editForm.parentNode.removeChild(editForm);
        if (opener && opener.isConnected) opener.focus();
      }
      cancel.addEventListener("click", done);
      field.addEventListener("keydown", function (e) { if (e.key === "Escape") done(); });
      editForm.addEventListener("submit", function (e) {
        e.preventDefault();
        if (!field.value.trim()) {
          error.textContent = T.empty;
          error.hidden = false;
          field.setAttribute("aria-invalid", "true");
          field.setAttribute("aria-describedby", error.id);
          field.focus();
          return;
        }
        if (o.send({ type: "edit", id: Number(li.dataset.id), body: field.value })) done();
      });
    }

    // In id order among the sent messages; unsent posts (data-pending) are skipped.
    function insertSorted(li, id) {
      var items = list.children;
      for (var i = items.length - 1; i >= 0; i--) {
        if (items[i].dataset.pending === "1") continue;
        if (Number(items[i].dataset.id) < id) {
          list.insertBefore(li, items[i].nextSibling);
          return;
        }
      }
      list.insertBefore(li, list.firstChild);
    }

    return {
      // Shows a message unless it is already shown (duplicates are dropped by id); true if new.
      add: function (m) {
        if (el(m.id)) return false;
        insertSorted(build(m), m.id);
        return true;
      },
      // Older messages (oldest first) above the first shown; the number that were new.
      prepend: function (messages) {
        var anchor = list.firstChild;
        var added = 0;
        messages.forEach(function (m) {
          if (el(m.id)) return;
          list.insertBefore(build(m), anchor);
          added += 1;
        });
        return added;
      },
      edit: function (m) {
        var li = el(m.id);
        if (!li) return;
        li.querySelector(".board-msg__body").innerHTML = m.body_html;
        if (typeof m.body === "string") li.dataset.body = m.body;
        li.querySelector(".board-msg__edited").hidden = !m.edited;
      },
      // True if the message was shown.
      remove: function (id) {
        var li = el(id);
        if (!li) return false;
        var hadFocus = li.contains(document.activeElement);
        li.parentNode.removeChild(li);
        o.onRemoved(hadFocus);
        return true;
      },
      // The messages that came with the page get their buttons too.
      init: function () {
        Array.prototype.forEach.call(list.querySelectorAll(".board-msg"), addActions);
      },
      scrollToEnd: function () { list.scrollTop = list.scrollHeight; }
    };
  };
})(window.kinderstarkBoard);
