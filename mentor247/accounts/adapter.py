from typing import Any

from allauth.account.adapter import DefaultAccountAdapter

from mentor247.lib.mail import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        queue_email(self.render_mail(template_prefix, email, context))
