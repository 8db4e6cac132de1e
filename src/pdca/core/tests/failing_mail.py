"""A mail server that refuses every message, for the delivery-failure tests."""

import smtplib
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend

ATTEMPTS: list[int] = []


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        ATTEMPTS.append(len(email_messages))
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed: timed out")
