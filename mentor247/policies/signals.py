"""What policies tell other apps.

Policies sit beneath mentors: they say what happened, and mentors (mentors/apps.py) keep the
directory and the mentor profiles in step. Every one is sent inside the sender's transaction.
"""

from django.dispatch import Signal

# A new version was published, with `version` (the directory is swept when it takes effect).
version_published = Signal()

# What `user_ids` accepted or declined changed: whether they may be listed may have too.
decisions_changed = Signal()

# Staff carried out a removal of `user`, by `by`: they may mentor no more.
removal_completed = Signal()
