"""Push channels: apprise does the talking (one well-kept library for WeCom, DingTalk, Feishu/Lark, Slack, Teams,
e-mail and webhooks); this module holds each channel's URL as a secret and decides whom a channel is for.

apprise logs the URLs it loads at debug level, so its logger is switched off here: what a channel did is logged
by this package, under the channel's name only. A send that raises is caught and reported by exception *type*:
an exception's text could quote the URL.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from odoo_urgency.jobs.notify.settings import ChannelSettings
from odoo_urgency.policies import Alert
from odoo_urgency.policies.routing import Person

logging.getLogger("apprise").disabled = True


class ChannelError(Exception):
    """A channel that cannot be set up; the message names the channel, never its URL."""


class Channel:
    def __init__(self, name: str, settings: ChannelSettings, url: str, *, timeout: float = 10.0) -> None:
        self.name = name
        self.roles = set(settings.roles)
        self.tiers = {tier.value for tier in settings.tiers}
        self.languages = [language.lower() for language in settings.language]
        self.users = set(settings.users)
        self.timeout = timeout
        self.__url = url
        self.__app: Any = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Channel({self.name!r})"

    __str__ = __repr__

    def check(self) -> None:
        """Load the URL into apprise now, so that a URL apprise does not know stops the program at start."""
        self._app()

    def _app(self) -> Any:
        if self.__app is None:
            import apprise

            app = apprise.Apprise()
            if not app.add(self.__url):
                raise ChannelError(f"channel {self.name!r}: apprise does not understand its URL (check the scheme "
                                   "and the parts it needs)")
            self.__app = app
        return self.__app

    def accepts(self, alert: Alert, person: Person | None) -> bool:
        """An omitted filter means all; a filter on people needs to know the person."""
        if self.roles and not self.roles & set(alert.roles or [alert.role]):
            return False
        if self.tiers and (alert.tier is None or alert.tier.value not in self.tiers):
            return False
        if self.users and (person is None or person.login not in self.users):
            return False
        if self.languages:
            lang = (person.lang if person is not None else "").lower()
            if not any(lang == wanted or lang.startswith(wanted + "_") for wanted in self.languages):
                return False
        return True

    def send(self, title: str, body: str, attach: str | None = None) -> tuple[bool, str]:
        """(delivered, why not). Never raises. ``attach``: a file's path, for the services that take files (e-mail,
        Slack, JSON webhooks, …; the others send the text alone)."""
        try:
            with self._lock:
                extra = {"attach": attach} if attach else {}
                result = self._app().notify(title=title, body=body, **extra)
        except ChannelError as exc:
            return False, str(exc)
        except Exception as exc:  # noqa: BLE001 - a channel must never stop the sender; the text could quote the URL
            return False, f"{type(exc).__name__} while sending"
        return (True, "") if bool(result) else (False, "the service did not accept the message")


def build_channels(settings: list[ChannelSettings], environ: dict[str, str] | None = None) -> list[Channel]:
    """Channels from the settings, each URL read from where it is kept. Errors name the channel."""
    channels = []
    for index, channel in enumerate(settings, start=1):
        name = channel.name or f"channel-{index}"
        try:
            url = channel.secret_url(environ)
        except ValueError as exc:
            raise ChannelError(f"notify.channels[{index - 1}] ({name}): {exc}") from None
        built = Channel(name, channel, url)
        built.check()
        channels.append(built)
    return channels
