// Live notification badge: the header's count of unread notifications, updated when
// network publishes {"type": "notification.new", "unread": N} to the group user.<id>.
// Include in base.html for logged-in users, with an element
//   <span data-notification-unread {% if not unread %}hidden{% endif %}>
//     <span class="badge" data-notification-count>{{ unread }}</span> <span class="visually-hidden">unread</span>
//   </span>
// (forums_notifications.notification_badge renders it).
//   <script src="{% static 'events/notifications_live.js' %}" defer></script>
(function () {
  "use strict";
  var badges = document.querySelectorAll("[data-notification-count], [data-notification-badge]");
  if (!badges.length || !window.WebSocket) return;
  var attempt = 0;
  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/notifications/";

  function show(unread) {
    Array.prototype.forEach.call(badges, function (badge) {
      badge.textContent = unread;
      // the count and its hidden word "unread" show and hide together
      (badge.closest("[data-notification-unread]") || badge).hidden = !unread;
    });
  }

  function connect() {
    var socket = new WebSocket(url);
    socket.onopen = function () { attempt = 0; };
    socket.onmessage = function (event) {
      var frame = JSON.parse(event.data);
      if (frame.type === "notification.new" && typeof frame.unread === "number") show(frame.unread);
    };
    socket.onclose = function (event) {
      if (event.code === 4401 || event.code === 4403) return;
      var delay = Math.min(60000, 1000 * Math.pow(2, attempt)) * (0.5 + Math.random() * 0.5);
      attempt += 1;
      setTimeout(connect, delay);
    };
  }
  connect();
})();
