from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentor247.bookings.access import access_booking
from mentor247.lib.crypto import NoteUnreadable
from mentor247.lib.timezones import format_moment
from mentor247.lib.typing import AuthenticatedHttpRequest
from mentor247.notes.domain import NoteChanged, save_note
from mentor247.notes.forms import NoteForm
from mentor247.notes.models import Note


@login_required
@require_POST
def save(request: AuthenticatedHttpRequest, booking_id: int, kind: str) -> HttpResponse:
    """Saves a note of the booking (autosaved by the page as one types, or sent by its
    button). Only the booking's two people reach it; anyone else gets 404."""
    booking = access_booking(request.user, booking_id)
    if kind not in Note.Kind.values:
        raise Http404
    form = NoteForm(request.POST)
    status, ok, version = 400, False, None
    if not form.is_valid():
        message = " ".join(str(error) for errors in form.errors.values() for error in errors)
    else:
        version = form.cleaned_data["version"]
        try:
            note = save_note(
                booking,
                request.user,
                kind=kind,
                text=form.cleaned_data["text"],
                version=version,
            )
        except NoteChanged:
            status = 409
            message = _(
                "This note was changed meanwhile, in another window or by the other side. "
                "Copy your text, reload the page, and add it again."
            )
        except NoteUnreadable:
            status = 409
            message = _(
                "This note cannot be read with the keys in use, so it is not saved over. "
                "Please tell support."
            )
        except ValidationError as error:
            message = " ".join(error.messages)
        else:
            status, ok, version = 200, True, note.version
            time = format_moment(note.updated_at, "H:i:s", named=False)
            message = _("Saved at %(time)s.") % {"time": time}
    if request.headers.get("HX-Request"):
        # htmx swaps only what it gets with 200: the outcome, and on success the new version.
        return render(
            request,
            "notes/_saved.html",
            {"kind": kind, "ok": ok, "message": message, "version": version},
        )
    if ok:
        messages.success(request, message)
        return HttpResponseRedirect(reverse("bookings:booking", args=[booking.pk]) + "#notes")
    return render(
        request, "notes/refused.html", {"booking_id": booking.pk, "message": message}, status=status
    )
