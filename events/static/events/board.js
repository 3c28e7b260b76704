// The live board's client (DESIGN.md, "The live board's WebSocket protocol").
// Nothing lost, nothing twice: every message is kept by id; after a reconnect the client sends
// `sync` with the newest id it has seen; unsent posts keep their nonce and are re-sent, so the
// server stores each once. It reconnects with exponential backoff and jitter, shows its state,
// and announces new messages through one polite live region, batched so it never floods.
(function () {
  "use strict";

  var root = document.querySelector("[data-board]");
  if (!root) return;
  var T = JSON.parse(document.getElementById("board-strings").textContent);
  var list = root.querySelector("[data-board-messages]");
  var empty = root.querySelector("[data-board-empty]");
  var stateEl = root.querySelector("[data-board-state]");
  var stateText = root.querySelector("[data-board-state-text]");
  var live = root.querySelector("[data-board-live]");
  var typingEl = root.querySelector("[data-board-typing]");
  var onlineEl = root.querySelector("[data-board-online]");
  var olderBtn = root.querySelector("[data-board-older]");
  var form = root.querySelector("[data-board-form]");
  var textarea = form ? form.querySelector("textarea") : null;
  var errorEl = form ? form.querySelector("[data-board-error]") : null;

  var userId = Number(root.dataset.userId);
  var canModerate = root.dataset.canModerate === "1";
  var lastId = Number(root.dataset.lastId) || 0;
  // The server's time of the last complete sync: the next `sync` also brings the edits and
  // deletions made since, e.g. while this page was offline.
  var syncedAt = root.dataset.syncedAt || null;
  var firstId = Number(root.dataset.firstId) || 0;
  var storageKey = "board-pending:" + root.dataset.room + ":" + userId;

  var ws = null;
  var attempt = 0;
  var reconnectTimer = null;
  var keepaliveTimer = null;
  var awaitingPong = null;
  var refused = false;
  var synced = false;
  var pending = loadPending(); // nonce -> {body, el}
  var typingPeople = {}; // user id -> {name, until}
  var lastTypingSent = 0;

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  // A message's time as the server renders it (_message.html, Django's SHORT_DATETIME_FORMAT
  // for the page's language, in the site's time zone), whatever the browser's zone or ICU
  // version: Intl gives the numbers in that zone, the server's format puts them in order.
  var timeParts = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    timeZone: T.time_zone, year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", numberingSystem: "latn"
  });
  function formatTime(iso) {
    var p = {};
    timeParts.formatToParts(new Date(iso)).forEach(function (part) { p[part.type] = part.value; });
    var values = {
      d: p.day, j: String(Number(p.day)), m: p.month, n: String(Number(p.month)),
      Y: p.year, y: p.year.slice(-2), H: p.hour, G: String(Number(p.hour)), i: p.minute
    };
    var out = "";
    for (var k = 0; k < T.datetime_format.length; k++) {
      var c = T.datetime_format.charAt(k);
      if (c === "\\") { k += 1; out += T.datetime_format.charAt(k); }
      else out += Object.prototype.hasOwnProperty.call(values, c) ? values[c] : c;
    }
    return out;
  }

  // --- connection state -------------------------------------------------------------------
  function setState(state, text) {
    stateEl.dataset.state = state;
    root.dataset.connection = state;
    stateText.textContent = text;
  }

  function url() {
    var proto = location.protocol === "https:" ? "wss://" : "ws://";
    return proto + location.host + root.dataset.wsPath;
  }

  function connect() {
    clearTimeout(reconnectTimer);
    if (refused) return;
    if (!navigator.onLine) { setState("offline", T.offline); return; }
    if (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)) return;
    setState("connecting", T.connecting);
    synced = false;
    var socket = new WebSocket(url());
    ws = socket;
    socket.onmessage = function (event) { if (socket === ws) receive(JSON.parse(event.data)); };
    socket.onclose = function (event) { if (socket === ws) closed(event.code); };
  }

  function closed(code) {
    ws = null;
    synced = false;
    stopKeepalive();
    if (code === 4401 || code === 4403 || code === 4404) {
      refused = true;
      setState("closed", T.refused);
      return;
    }
    if (!navigator.onLine) { setState("offline", T.offline); return; }
    // Exponential backoff with full jitter: 0.5 s, 1 s, 2 s … at most 30 s, times 0.5–1.
    var base = Math.min(30000, 500 * Math.pow(2, attempt));
    var delay = Math.round(base * (0.5 + Math.random() * 0.5));
    attempt += 1;
    setState("closed", fmt(T.retry, { seconds: Math.ceil(delay / 1000) }));
    reconnectTimer = setTimeout(connect, delay);
  }

  function send(frame) {
    if (ws && ws.readyState === WebSocket.OPEN) { ws.send(JSON.stringify(frame)); return true; }
    return false;
  }

  function sendSync() {
    var frame = { type: "sync", after: lastId };
    if (syncedAt) frame.since = syncedAt;
    send(frame);
  }

  // A `sync` every 25 s when idle: catches a frame the channel layer dropped, and finds a
  // half-dead connection (no `synced` within 10 s means: reconnect).
  function startKeepalive() {
    stopKeepalive();
    keepaliveTimer = setInterval(function () {
      if (!synced) return;
      sendSync();
      awaitingPong = setTimeout(function () { if (ws) ws.close(); }, 10000);
    }, 25000);
  }
  function stopKeepalive() {
    clearInterval(keepaliveTimer);
    clearTimeout(awaitingPong);
  }

  window.addEventListener("offline", function () {
    setState("offline", T.offline);
    if (ws) ws.close();
  });
  window.addEventListener("online", function () { attempt = 0; connect(); });

  // --- frames from the server -------------------------------------------------------------
  function receive(frame) {
    switch (frame.type) {
      case "hello":
        attempt = 0;
        renderOnline(frame.online);
        sendSync();
        break;
      case "message":
        addMessage(frame, true);
        break;
      case "synced":
        clearTimeout(awaitingPong);
        if (!synced) {
          synced = true;
          setState("open", T.connected);
          startKeepalive();
          flushPending();
        }
        if (frame.last_id > lastId) lastId = frame.last_id;
        if (frame.at) syncedAt = frame.at;
        break;
      case "history":
        prependHistory(frame.messages, frame.has_more);
        break;
      case "edited":
        applyEdit(frame);
        break;
      case "deleted":
        removeMessage(frame.id);
        break;
      case "typing":
        showTyping(frame.user);
        break;
      case "presence":
        renderOnline(frame.online);
        break;
      case "error":
        showError(frame);
        break;
    }
  }

  // --- messages ------------------------------------------------------------------------------
  function messageEl(id) { return document.getElementById("msg-" + id); }

  function buildMessage(m) {
    var li = document.createElement("li");
    li.className = "board-msg";
    li.id = "msg-" + m.id;
    li.dataset.id = m.id;
    li.dataset.authorId = m.author.id;
    li.dataset.nonce = m.nonce || "";
    if (typeof m.body === "string") li.dataset.body = m.body; // the author's Markdown
    var article = document.createElement("article");
    article.setAttribute("aria-labelledby", li.id + "-meta");
    var meta = document.createElement("p");
    meta.className = "board-msg__meta";
    meta.id = li.id + "-meta";
    var author = document.createElement("span");
    author.className = "board-msg__author";
    author.textContent = m.author.name;
    meta.appendChild(author);
    if (m.author.municipality) {
      var muni = document.createElement("span");
      muni.className = "board-msg__municipality";
      muni.textContent = "(" + m.author.municipality + ")";
      meta.appendChild(muni);
    }
    var time = document.createElement("time");
    time.dateTime = m.created;
    time.textContent = formatTime(m.created);
    meta.appendChild(time);
    var edited = document.createElement("span");
    edited.className = "board-msg__edited";
    edited.textContent = "(" + T.edited + ")";
    edited.hidden = !m.edited;
    meta.appendChild(edited);
    var body = document.createElement("div");
    body.className = "board-msg__body prose";
    body.innerHTML = m.body_html; // sanitised once on the server (core.markdown)
    article.appendChild(meta);
    article.appendChild(body);
    li.appendChild(article);
    addActions(li);
    return li;
  }

  function addActions(li) {
    if (li.querySelector(".board-msg__actions")) return;
    var mine = Number(li.dataset.authorId) === userId;
    if (!mine && !canModerate) return;
    var bar = document.createElement("div");
    bar.className = "board-msg__actions";
    if (mine && form) {
      var edit = document.createElement("button");
      edit.type = "button";
      edit.className = "link-button";
      edit.textContent = T.edit;
      edit.addEventListener("click", function () { startEdit(li); });
      bar.appendChild(edit);
    }
    var del = document.createElement("button");
    del.type = "button";
    del.className = "link-button";
    del.textContent = T.delete;
    del.addEventListener("click", function () {
      if (window.confirm(T.confirm_delete)) send({ type: "delete", id: Number(li.dataset.id) });
    });
    bar.appendChild(del);
    li.querySelector("article").appendChild(bar);
  }

  function insertSorted(li, id) {
    var items = list.children;
    for (var i = items.length - 1; i >= 0; i--) {
      var other = Number(items[i].dataset.id);
      if (items[i].dataset.pending === "1") continue;
      if (other < id) {
        list.insertBefore(li, items[i].nextSibling);
        return;
      }
    }
    list.insertBefore(li, list.firstChild);
  }

  function addMessage(m, announceIt) {
    if (m.id > lastId) lastId = m.id;
    var waiting = m.nonce && Number(m.author.id) === userId && pending[m.nonce];
    if (waiting) {
      if (waiting.el && waiting.el.parentNode) waiting.el.parentNode.removeChild(waiting.el);
      delete pending[m.nonce];
      savePending();
      announceIt = false;
    }
    if (messageEl(m.id)) return; // already shown: duplicates dropped by id
    var li = buildMessage(m);
    insertSorted(li, m.id);
    // keep unsent posts at the end
    Object.keys(pending).forEach(function (nonce) {
      if (pending[nonce].el) list.appendChild(pending[nonce].el);
    });
    empty.hidden = true;
    if (Number(m.author.id) !== userId && announceIt) announce(m);
    scrollToEnd();
  }

  function scrollToEnd() { list.scrollTop = list.scrollHeight; }

  function prependHistory(messages, hasMore) {
    var anchor = list.firstChild;
    var fromButton = document.activeElement === olderBtn;
    messages.forEach(function (m) {
      if (messageEl(m.id)) return;
      list.insertBefore(buildMessage(m), anchor);
      if (!firstId || m.id < firstId) firstId = m.id;
    });
    olderBtn.hidden = !hasMore;
    if (!hasMore) politely(T.no_more);
    if (messages.length) empty.hidden = true;
    // The button goes once everything is loaded; a keyboard user then continues reading at the
    // oldest message instead of losing their place to the top of the page.
    if (fromButton && !hasMore && list.firstChild) {
      list.firstChild.setAttribute("tabindex", "-1");
      list.firstChild.focus();
    }
  }

  function applyEdit(m) {
    var li = messageEl(m.id);
    if (!li) return;
    li.querySelector(".board-msg__body").innerHTML = m.body_html;
    if (typeof m.body === "string") li.dataset.body = m.body;
    li.querySelector(".board-msg__edited").hidden = !m.edited;
  }

  function removeMessage(id) {
    var li = messageEl(id);
    if (!li) return;
    var hadFocus = li.contains(document.activeElement);
    li.parentNode.removeChild(li);
    if (hadFocus && textarea) textarea.focus();
    politely(T.deleted);
  }

  function startEdit(li) {
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
    editForm.appendChild(label);
    editForm.appendChild(field);
    editForm.appendChild(save);
    editForm.appendChild(cancel);
    li.querySelector("article").appendChild(editForm);
    field.focus();
    function done() { editForm.parentNode.removeChild(editForm); }
    cancel.addEventListener("click", done);
    field.addEventListener("keydown", function (e) { if (e.key === "Escape") done(); });
    editForm.addEventListener("submit", function (e) {
      e.preventDefault();
      if (field.value.trim() && send({ type: "edit", id: Number(li.dataset.id), body: field.value })) done();
    });
  }

  // --- unsent posts ---------------------------------------------------------------------------
  function loadPending() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(storageKey) || "{}");
      var result = {};
      Object.keys(saved).forEach(function (nonce) { result[nonce] = { body: saved[nonce] }; });
      return result;
    } catch (e) { return {}; }
  }
  function savePending() {
    var plain = {};
    Object.keys(pending).forEach(function (nonce) { plain[nonce] = pending[nonce].body; });
    try { sessionStorage.setItem(storageKey, JSON.stringify(plain)); } catch (e) { /* private mode */ }
  }

  function pendingEl(nonce, body) {
    var li = document.createElement("li");
    li.className = "board-msg board-msg--pending";
    li.dataset.pending = "1";
    li.dataset.nonce = nonce;
    var text = document.createElement("p");
    text.className = "board-msg__body";
    text.textContent = body;
    var status = document.createElement("p");
    status.className = "board-msg__status muted";
    status.textContent = T.sending;
    li.appendChild(text);
    li.appendChild(status);
    return li;
  }

  function flushPending() {
    Object.keys(pending).forEach(function (nonce) {
      var item = pending[nonce];
      if (!item.el) { item.el = pendingEl(nonce, item.body); list.appendChild(item.el); empty.hidden = true; }
      send({ type: "post", body: item.body, nonce: nonce });
    });
  }

  function newNonce() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function submit() {
    var body = textarea.value;
    errorEl.textContent = "";
    textarea.removeAttribute("aria-invalid");
    if (!body.trim()) { fieldError(T.empty); return; }
    if (body.length > 4000) { fieldError(T.too_long); return; }
    var nonce = newNonce();
    pending[nonce] = { body: body, el: pendingEl(nonce, body) };
    savePending();
    list.appendChild(pending[nonce].el);
    empty.hidden = true;
    scrollToEnd();
    textarea.value = "";
    if (synced) send({ type: "post", body: body, nonce: nonce });
  }

  function fieldError(text) {
    errorEl.textContent = text;
    textarea.setAttribute("aria-invalid", "true");
    textarea.focus();
  }

  function showError(frame) {
    var item = frame.nonce && pending[frame.nonce];
    if (item && frame.code === "rate_limited") {
      setTimeout(function () { send({ type: "post", body: item.body, nonce: frame.nonce }); }, 4000);
      errorEl.textContent = frame.detail;
      return;
    }
    if (item) {
      if (item.el && item.el.parentNode) item.el.parentNode.removeChild(item.el);
      delete pending[frame.nonce];
      savePending();
      if (textarea && !textarea.value) textarea.value = item.body;
    }
    if (errorEl) { errorEl.textContent = frame.detail; } else { politely(frame.detail); }
  }

  // --- presence, typing, announcements ----------------------------------------------------------
  function renderOnline(people) {
    onlineEl.textContent = "";
    people.forEach(function (p) {
      var li = document.createElement("li");
      li.textContent = p.name;
      onlineEl.appendChild(li);
    });
    if (!people.length) {
      var li = document.createElement("li");
      li.textContent = T.nobody;
      onlineEl.appendChild(li);
    }
  }

  function showTyping(user) {
    typingPeople[user.id] = { name: user.name, until: Date.now() + 4000 };
    renderTyping();
    setTimeout(renderTyping, 4100);
  }
  function renderTyping() {
    var now = Date.now();
    var names = [];
    Object.keys(typingPeople).forEach(function (id) {
      if (typingPeople[id].until > now) names.push(typingPeople[id].name); else delete typingPeople[id];
    });
    typingEl.textContent = names.length === 0 ? "" :
      names.length === 1 ? fmt(T.typing_one, { name: names[0] }) : fmt(T.typing_many, { names: names.join(", ") });
  }

  // New messages are announced at most every 3 s: one by name, several as a count.
  var queue = [];
  var announceTimer = null;
  function announce(m) {
    queue.push(m);
    if (!announceTimer) announceTimer = setTimeout(flushAnnouncements, 1500);
  }
  function flushAnnouncements() {
    announceTimer = null;
    if (!queue.length) return;
    var text;
    if (queue.length === 1) {
      var tmp = document.createElement("div");
      tmp.innerHTML = queue[0].body_html;
      text = fmt(T.new_one, { name: queue[0].author.name, text: (tmp.textContent || "").slice(0, 140) });
    } else {
      text = fmt(T.new_many, { count: queue.length });
    }
    queue = [];
    politely(text);
    announceTimer = setTimeout(function () { announceTimer = null; if (queue.length) flushAnnouncements(); }, 3000);
  }
  function politely(text) {
    live.textContent = "";
    var p = document.createElement("p");
    p.textContent = text;
    live.appendChild(p);
  }

  // --- composer and buttons ------------------------------------------------------------------
  if (form) {
    form.addEventListener("submit", function (e) { e.preventDefault(); submit(); });
    textarea.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(); }
    });
    textarea.addEventListener("input", function () {
      var now = Date.now();
      if (now - lastTypingSent > 3000 && textarea.value.trim()) {
        lastTypingSent = now;
        send({ type: "typing" });
      }
    });
  }
  if (olderBtn) {
    olderBtn.addEventListener("click", function () {
      send({ type: "history", before: firstId || lastId + 1, limit: 50 });
    });
  }

  Array.prototype.forEach.call(list.querySelectorAll(".board-msg"), addActions);
  scrollToEnd();
  connect();
})();
