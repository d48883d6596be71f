"""Where a person stands in the mentor role. The mentors app writes it (MentorProfile.status);
it is defined here, beneath mentors, so that an account can tell its own role."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MentorStatus(models.TextChoices):
    APPLIED = "applied", _("applied")
    CHANGES_REQUESTED = "changes_requested", _("changes requested")
    REJECTED = "rejected", _("rejected")
    APPROVED = "approved", _("approved")
    SUSPENDED = "suspended", _("suspended")
    REMOVED = "removed", _("removed")


# Applying for, holding, or suspended from the mentor role: bound by the Code of Conduct.
BOUND_BY_CONDUCT = frozenset(
    {
        MentorStatus.APPLIED,
        MentorStatus.CHANGES_REQUESTED,
        MentorStatus.APPROVED,
        MentorStatus.SUSPENDED,
    }
)
