from django import template
from django.forms import BoundField

from mentor247.policies.forms import ReviewForm
from mentor247.policies.models import PolicyVersion

register = template.Library()


@register.filter
def field_for(form: ReviewForm, version: PolicyVersion) -> BoundField:
    """The acceptance checkbox of one version."""
    return form[ReviewForm.field_name(version)]
