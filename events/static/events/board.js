// The live board's client, part 4 of 4 (DESIGN.md, "The live board's WebSocket protocol"): the
// connection, unsent posts and the composer.
// Nothing lost, nothing twice: every message is kept by id; after a reconnect the client sends
// `sync` with the newest id up to which it holds everything; unsent posts keep their nonce and
// are re-sent, so the server stores each once. While the socket stays open, each message's `seq`
// (gapless per room) shows a broadcast that never arrived: a skip not filled within 1.5 s (two
// server processes may deliver neighbours out of order) sends `sync`, a seq already held is a
// copy and is dropped. It reconnects with exponential backoff and jitter, shows its state,
// and announces new messages through one polite live region, batched so it never floods.
(function (board) {
  "use strict";

  var root = document.querySelector("[data-board]");
  if (!root) return;
  var T = JSON.parse(document.getElementById("board-strings").textContent);
  var list = root.querySelector("[data-board-messages]");
  var empty = root.querySelector("[data-board-empty]");
  var stateEl = root.querySelector("[data-board-state]");
  var stateText = root.querySelector("[data-board-state-text]");
  var olderBtn = root.querySelector("[data-board-older]");
  var form = root.querySelector("[data-board-form]");
  var textarea = form ? form.querySelector("textarea") : null;
  var errorEl = form ? form.querySelector("[data-board-error]") : null;

  var userId = Number(root.dataset.userId);
  // The id and the seq up to which this page holds every message (lastSeq is null until the
  // first `synced` says where the room stands).
  var lastId = Number(root.dataset.lastId) || 0;
  var lastSeq = null;
  // Seqs (with their ids) that came while one before them is still missing, and the timer
  // that syncs if it does not come (see takeMessage).
  var ahead = {};
  var gapTimer = null;
  var GAP_WAIT = 1500;
  // A `sync` is under way: its frames fill any gap, so message frames are taken by id alone, and
  // `synced` then says up to which seq the page is complete.
  var syncing = false;
  var seqWhileSyncing = 0;
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
  var lastTypingSent = 0;

  var politely = board.liveRegion(root.querySelector("[data-board-live]"));
  var announce = board.announcer(T, politely);
  var showTyping = board.typing(root.querySelector("[data-board-typing]"), T);
  var renderOnline = board.online(root.querySelector("[data-board-online]"), T);
  var messages = board.messageList({
    list: list,
    template: root.querySelector("template[data-board-message-template]"),
    T: T,
    userId: userId,
    canModerate: root.dataset.canModerate === "1",
    canEdit: Boolean(form),
    // Times in the page's language and the site's zone (Europe/Berlin), as the server prints them.
    formatTime: board.timeFormatter(document.documentElement.lang, T.time_zone, T.datetime_format),
    send: send,
    onRemoved: function (hadFocus) {
      if (hadFocus && textarea) textarea.focus();
      politely(T.deleted);
    }
  });

  // --- connection state -------------------------------------------------------------------
  function setState(state, text) {
    stateEl.dataset.state = state;
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
    syncing = true; // the `hello` is answered with a `sync`
    seqWhileSyncing = 0;
    ahead = {};
    clearTimeout(gapTimer);
    gapTimer = null;
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
    setState("closed", board.fmt(T.retry, { seconds: Math.ceil(delay / 1000) }));
    reconnectTimer = setTimeout(connect, delay);
  }

  function send(frame) {
    if (ws && ws.readyState === WebSocket.OPEN) { ws.send(JSON.stringify(frame)); return true; }
    return false;
  }

  function sendSync() {
    var frame = { type: "sync", after: lastId };
    if (syncedAt) frame.since = syncedAt;
    if (send(frame) && !syncing) {
      syncing = true;
      seqWhileSyncing = 0;
    }
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
        takeMessage(frame);
        break;
      case "synced":
        clearTimeout(awaitingPong);
        syncing = false;
        // Every message up to the room's last_seq when the sync began has now come (and every
        // one the sync sent besides).
        lastSeq = Math.max(lastSeq || 0, frame.last_seq || 0, seqWhileSyncing);
        closeGap();
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
        messages.edit(frame);
        break;
      case "deleted":
        messages.remove(frame.id);
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

  function takeMessage(m) {
    if (syncing || lastSeq === null || typeof m.seq !== "number") {
      // lastId moves with `synced` only: a socket lost mid-sync syncs again from the old one.
      if (m.seq > seqWhileSyncing) seqWhileSyncing = m.seq;
      addMessage(m, !syncing);
      return;
    }
    if (m.seq <= lastSeq || ahead[m.seq]) { settle(m); return; } // a copy of one this page holds
    if (m.seq > lastSeq + 1) {
      // A skip: shown now. Two server processes may deliver neighbouring messages out of
      // order, so the missing one gets GAP_WAIT ms to arrive; if it has not by then, a broadcast
      // never arrived and the sync brings it (sorted in by id) from the newest id up to which
      // the page is complete.
      ahead[m.seq] = m.id;
      addMessage(m, false);
      if (!gapTimer) {
        gapTimer = setTimeout(function () {
          gapTimer = null;
          if (Object.keys(ahead).length) sendSync();
        }, GAP_WAIT);
      }
      return;
    }
    lastSeq = m.seq;
    addMessage(m, true);
    closeGap();
  }

  // Messages that came ahead of a missing one count once the missing one is there.
  function closeGap() {
    Object.keys(ahead).forEach(function (seq) {
      if (Number(seq) <= lastSeq) delete ahead[seq];
    });
    while (ahead[lastSeq + 1]) {
      lastSeq += 1;
      if (ahead[lastSeq] > lastId) lastId = ahead[lastSeq];
      delete ahead[lastSeq];
    }
    if (!Object.keys(ahead).length && gapTimer) {
      clearTimeout(gapTimer);
      gapTimer = null;
    }
  }

  // A post of this page that the server has stored: no longer pending. True if it was.
  function settle(m) {
    var waiting = m.nonce && Number(m.author.id) === userId && pending[m.nonce];
    if (!waiting) return false;
    if (waiting.el && waiting.el.parentNode) waiting.el.parentNode.removeChild(waiting.el);
    delete pending[m.nonce];
    savePending();
    return true;
  }

  function addMessage(m, complete) {
    if (complete && m.id > lastId) lastId = m.id;
    var announceIt = !settle(m);
    if (!messages.add(m)) return;
    // keep unsent posts at the end
    Object.keys(pending).forEach(function (nonce) {
      if (pending[nonce].el) list.appendChild(pending[nonce].el);
    });
    empty.hidden = true;
    if (Number(m.author.id) !== userId && announceIt) announce(m);
    messages.scrollToEnd();
  }

  function prependHistory(older, hasMore) {
    var fromButton = document.activeElement === olderBtn;
    messages.prepend(older);
    older.forEach(function (m) { if (!firstId || m.id < firstId) firstId = m.id; });
    olderBtn.hidden = !hasMore;
    if (!hasMore) politely(T.no_more);
    if (older.length) empty.hidden = true;
    // The button goes once everything is loaded; a keyboard user then continues reading at the
    // oldest message instead of losing their place to the top of the page.
    if (fromButton && !hasMore && list.firstElementChild) {
      list.firstElementChild.setAttribute("tabindex", "-1");
      list.firstElementChild.focus();
    }
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
    messages.scrollToEnd();
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

  messages.init();
  messages.scrollToEnd();
  connect();
})(window.kinderstarkBoard);
