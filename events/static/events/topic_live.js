// Live updates on a forum topic page: when someone posts, a notice with a button appears
// ("neue Beiträge anzeigen"); the page never jumps by itself. Include on the topic page:
//   <div data-topic-live data-topic-id="{{ topic.pk }}" data-text-new="{% translate '…' %}"
//        data-text-button="{% translate '…' %}" hidden></div>
//   <script src="{% static 'events/topic_live.js' %}" defer></script>
(function () {
  "use strict";
  var box = document.querySelector("[data-topic-live]");
  if (!box || !window.WebSocket) return;
  var topicId = box.dataset.topicId;
  var count = 0;
  var attempt = 0;
  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/topic/" + topicId + "/";

  box.classList.add("topic-live-notice");
  box.setAttribute("role", "status");
  var text = document.createElement("span");
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = box.dataset.textButton || "Neue Beiträge anzeigen";
  button.addEventListener("click", function () {
    var target = box.dataset.url || location.pathname + "?seite=letzte";
    if (box.dataset.url) { location.href = target; } else { location.reload(); }
  });
  box.appendChild(text);
  box.appendChild(button);

  function connect() {
    var socket = new WebSocket(url);
    socket.onopen = function () { attempt = 0; };
    socket.onmessage = function (event) {
      var frame = JSON.parse(event.data);
      if (frame.type !== "topic.post") return;
      count += 1;
      if (frame.url) box.dataset.url = frame.url;
      text.textContent = (box.dataset.textNew || "Neue Beiträge: %(count)s").replace("%(count)s", count);
      box.hidden = false;
    };
    socket.onclose = function (event) {
      if (event.code === 4401 || event.code === 4403 || event.code === 4404) return;
      var delay = Math.min(30000, 1000 * Math.pow(2, attempt)) * (0.5 + Math.random() * 0.5);
      attempt += 1;
      setTimeout(connect, delay);
    };
  }
  connect();
})();
