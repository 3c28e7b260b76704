"""What the practice examples tell others without knowing them: the site's page cache (cms)
forgets its list of examples when one changes."""

from django.dispatch import Signal

# Sent by network.practice.services after an example was saved (created, edited, submitted,
# confirmed, reviewed, its contact changed) or its texts were erased; argument: example (or
# None when several changed).
practice_examples_changed = Signal()
