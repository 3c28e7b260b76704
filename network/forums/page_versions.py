"""The version of what the forum pages show for everybody (categories, topics, posts, their
"hilfreich" counts), bumped by every change of them (network.forums.apps): a reply shows on the
next view of every reader's kept page, not a few seconds later."""

FORUMS_VERSION_KEY = "forums:pages-version"
