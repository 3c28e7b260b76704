"""The version of what a board room's page shows for everybody besides its messages (the room
itself: title, archived; who is muted), bumped by every change of a room and every moderation
action (events.apps). The messages need none: the page syncs them over its socket."""

ROOMS_VERSION_KEY = "events:rooms-version"
