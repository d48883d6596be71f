from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict


def show_value(form: forms.BaseForm, name: str, value: str) -> None:
    """Makes a bound form render `value` in field `name` when shown again (e.g. a hidden
    field that must carry what is current, not what was posted)."""
    data = QueryDict(mutable=True)
    if isinstance(form.data, QueryDict):
        data = form.data.copy()
    else:
        data.update(form.data)
    data[name] = value
    form.data = data


def add_domain_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Shows a domain function's ValidationError on `form`: each field's errors at that field,
    the rest (and errors without a field) above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
