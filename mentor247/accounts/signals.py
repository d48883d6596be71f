"""What accounts tell other apps."""

from django.dispatch import Signal

# Staff set `user`'s password in the admin (the API ends every token of theirs, as when they
# change or reset it themselves).
password_set_by_staff = Signal()
