from django import forms
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
