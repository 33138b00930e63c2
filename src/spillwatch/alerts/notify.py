"""Delivery channels: console, JSON webhook (generic, Slack, Discord) and e-mail over SMTP.

Every notifier takes the outbox payload (a dict in the layout of Alertmanager's webhook body:
``status``, ``group_key``, ``common_labels``, ``alerts`` with ``labels``, ``annotations``,
``starts_at``, ``ends_at``, plus ``idempotency_key``) and either delivers it or raises
:class:`~spillwatch.alerts.outbox.DeliveryError`. The idempotency key travels in every form:

* generic JSON: the payload as it is, and an ``Idempotency-Key`` header;
* Slack incoming webhooks: ``{"text": ..., "idempotency_key": ...}`` (Slack reads ``text``);
* Discord webhooks: ``{"content": ..., "idempotency_key": ...}`` (Discord reads ``content``,
  at most 2,000 characters);
* e-mail: a ``Message-ID`` derived from the key and an ``X-Idempotency-Key`` header, and the key
  in the body;
* console: the key on the header line.
"""

from __future__ import annotations

import os
import smtplib
import sys
import threading
import time
from collections.abc import Mapping
from email.message import EmailMessage
from typing import IO, TYPE_CHECKING, Any

from spillwatch.alerts.outbox import DeliveryError, Notifier
from spillwatch.alerts.rules import Receiver, webhook_url_ok
from spillwatch.exceptions import ConfigError

if TYPE_CHECKING:
    import httpx

_ICON = {"firing": "🔥", "resolved": "✅"}

#: HTTP answers refusing the notification itself (malformed, too large, wrong type,
#: unprocessable): sending it again cannot succeed. Any other failure is retried (a 401, 403 or
#: 404 is a setting or a route to mend, after which the held notifications go).
REFUSED = frozenset({400, 413, 415, 422})


def render_text(payload: Mapping[str, Any], *, limit: int | None = None) -> str:
    """Plain-text rendering of a notification (used by every channel)."""
    alerts = payload.get("alerts", [])
    n_fire = sum(a["status"] == "firing" for a in alerts)
    n_res = len(alerts) - n_fire
    sim = " [SIMULATED DATA]" if payload.get("simulated") else ""
    head = (f"{_ICON.get(payload.get('status', ''), '')} spillwatch {payload.get('status', '')}"
            f"{sim}: {payload.get('group_key', '')} ({n_fire} firing, {n_res} resolved)")
    lines = [head.strip()]
    for a in alerts:
        sev = a["labels"].get("severity", "")
        summary = a.get("annotations", {}).get("summary", "")
        line = f"- [{a['status']}/{sev}] {a['labels'].get('rule', '')}: {summary}"
        if a["status"] == "firing" and a.get("starts_at"):
            line += f" (since {a['starts_at']})"
        if a["status"] == "firing" and a.get("annotations", {}).get("held"):
            # kept firing by keep_firing_for: the summary above is what made it fire
            now = a["annotations"].get("now")
            line += f"; held: {a['annotations']['held']}" + (f"; now {now}" if now else "")
        elif a["status"] != "firing":
            # why it resolved (an input gone stale, the rule deleted), not only that: the
            # summary is the last one with a value ("… is crisis")
            reason = a.get("annotations", {}).get("reason")
            now = a.get("annotations", {}).get("now")
            line = (f"- [{a['status']}/{sev}] {a['labels'].get('rule', '')}"
                    + (f" at {a['ends_at']}" if a.get("ends_at") else "")
                    + (f": {reason}; last reading: {summary}" if reason else
                       f": was {summary}" + (f"; now {now}" if now else "")))
        lines.append(line)
    if payload.get("data_dates"):
        lines.append(str(payload["data_dates"]))
    elif payload.get("data_as_of"):
        lines.append(f"data as of {payload['data_as_of']}")
    lines.append(f"key {payload.get('idempotency_key', '')}")
    text = "\n".join(lines)
    if limit is not None and len(text) > limit:
        tail = f"\n… key {payload.get('idempotency_key', '')}"
        text = text[: limit - len(tail)] + tail
    return text


class ConsoleNotifier:
    """Writes notifications to a text stream (stdout by default)."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream

    def send(self, payload: Mapping[str, Any]) -> None:
        stream = self.stream or sys.stdout
        try:
            stream.write(render_text(payload) + "\n")
            stream.flush()
        except (OSError, ValueError) as exc:  # closed pipe or stream
            raise DeliveryError(f"console: {exc}") from None


def webhook_body(payload: Mapping[str, Any], fmt: str) -> dict[str, Any]:
    """The JSON body for a webhook format: ``json`` (as is), ``slack`` or ``discord``."""
    key = payload.get("idempotency_key")
    if fmt == "slack":
        return {"text": render_text(payload), "idempotency_key": key}
    if fmt == "discord":
        return {"content": render_text(payload, limit=2000), "idempotency_key": key}
    return dict(payload)


def redact(url: str) -> str:
    """A webhook URL fit for logs: scheme, host and port only.

    Slack and Discord put the secret token in the path, which must not reach logs or the store.
    An address that cannot be parsed (an unclosed IPv6 bracket) is cut at its path as well.
    """
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        scheme, sep, rest = url.partition("://")
        netloc = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
        return f"{scheme}{sep}{netloc.rpartition('@')[2]}/…"
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}/…"


class WebhookNotifier:
    """POSTs JSON to a URL; any 2xx is success, anything else (or no answer) a failure.

    Parameters
    ----------
    url : str
    fmt : {"json", "slack", "discord"}
    timeout : float, default 10
        Seconds the whole attempt may take: connecting, sending and the reply's status line
        and headers (a receiver that trickles its reply a byte at a time is given up at it).
    headers : mapping, optional
        Extra headers (e.g. an authorization header read from your config).
    transport : httpx.BaseTransport, optional
        For tests (``httpx.MockTransport``).

    Raises
    ------
    ConfigError
        ``url`` cannot be parsed as a URL (an unclosed or invalid IPv6 bracket): the rule file
        refuses it, and the class raised a bare ``ValueError`` at the first send.
    """

    def __init__(self, url: str, *, fmt: str = "json", timeout: float = 10.0,
                 headers: Mapping[str, str] | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        from urllib.parse import urlsplit

        from spillwatch.data._http import hide_in_logs

        try:
            urlsplit(url)
        except ValueError as exc:
            # the NFKC message repeats the netloc, a password in it too: not quoted then
            why = "characters not allowed in a host" if "netloc" in str(exc) else str(exc)
            raise ConfigError(f"webhook {redact(url)}: not a URL that can be parsed ({why}); "
                              "give an http:// or https:// address, an IPv6 host in closed "
                              "brackets (http://[::1]:8080/hook)") from None
        self.url, self.fmt = url, fmt
        self.timeout = timeout
        self.headers = dict(headers or {})
        self.transport = transport
        hide_in_logs(url)    # Slack's and Discord's token is in the path: not in httpx's log

    def send(self, payload: Mapping[str, Any]) -> int:
        import httpx  # lazy: importing httpx is not free

        from spillwatch.data._http import ssl_context

        client = httpx.Client(timeout=self.timeout, transport=self.transport,
                              verify=ssl_context())
        got: dict[str, Any] = {}
        # each read of httpx waits at most the timeout, but a reply trickled a byte at a time
        # held the monitor (and every receiver after this one) for minutes: the attempt runs
        # in a thread, given up at the timeout as a whole
        worker = threading.Thread(target=self._post, args=(client, payload, got),
                                  name="spillwatch-webhook", daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            client.close()       # the thread's next read fails; its answer is not waited for
            raise DeliveryError(f"webhook {redact(self.url)}: no complete answer within "
                                f"{self.timeout:g} s (timeout)")
        client.close()
        if "error" in got:
            exc = got["error"]
            raise DeliveryError(f"webhook {redact(self.url)}: {type(exc).__name__}: "
                                f"{str(exc).replace(self.url, redact(self.url))}") from None
        status, body, headers = got["status"], got["body"], got["headers"]
        if not 200 <= status < 300:
            from spillwatch.data._http import parse_retry_after

            raise DeliveryError(f"webhook {redact(self.url)}: HTTP {status} "
                                f"{body[:200].decode('utf-8', 'replace')!r}", status=status,
                                permanent=status in REFUSED,
                                retry_after=parse_retry_after(headers.get("retry-after")))
        # a 2xx is the receiver's acceptance: its body is not read (a slow one cannot block)
        return int(status)

    def _post(self, client: httpx.Client, payload: Mapping[str, Any],
              got: dict[str, Any]) -> None:
        """One POST (in the attempt's thread): ``got`` gets its status, headers and some body."""
        key = str(payload.get("idempotency_key", ""))
        headers = {"Idempotency-Key": key, "User-Agent": "spillwatch-alerts", **self.headers}
        body = b""
        t0 = time.monotonic()
        try:
            with client.stream("POST", self.url, json=webhook_body(payload, self.fmt),
                               headers=headers) as resp:
                if not 200 <= resp.status_code < 300:
                    # a little of the reason, in what is left of the timeout (kept short of
                    # it, so that the error's status is not lost to the deadline)
                    for chunk in resp.iter_bytes():
                        body += chunk
                        if len(body) >= 200 or time.monotonic() - t0 > 0.8 * self.timeout:
                            break
                got.update(status=resp.status_code, body=body, headers=dict(resp.headers))
        except Exception as exc:
            # any failure (a bad URL or header value, the connection, the client closed at
            # the deadline) is a failed delivery, not a crash of the monitor (a URL with a
            # line break stopped every receiver)
            got["error"] = exc


class EmailNotifier:
    """Sends a plain-text e-mail over SMTP (``smtplib``), with STARTTLS or SSL when asked."""

    def __init__(self, *, host: str, port: int = 25, sender: str, to: list[str],
                 starttls: bool = False, ssl: bool = False, username: str | None = None,
                 password: str | None = None, timeout: float = 10.0,
                 subject_prefix: str = "[spillwatch]") -> None:
        self.host, self.port, self.sender, self.to = host, port, sender, list(to)
        self.starttls, self.ssl = starttls, ssl
        self.username, self.password = username, password
        self.timeout = timeout
        self.subject_prefix = subject_prefix

    def message(self, payload: Mapping[str, Any]) -> EmailMessage:
        """The e-mail for a payload."""
        key = str(payload.get("idempotency_key", ""))
        alerts = payload.get("alerts", [])
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = ", ".join(self.to)
        msg["Subject"] = (f"{self.subject_prefix} {str(payload.get('status', '')).upper()}: "
                          f"{payload.get('group_key', '')} ({len(alerts)} alert(s))")
        msg["Message-ID"] = f"<{key}@spillwatch>"
        msg["X-Idempotency-Key"] = key
        msg.set_content(render_text(payload))
        return msg

    def send(self, payload: Mapping[str, Any]) -> None:
        cls = smtplib.SMTP_SSL if self.ssl else smtplib.SMTP
        try:
            with cls(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls and not self.ssl:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password or "")
                refused = smtp.send_message(self.message(payload))
        except (OSError, ValueError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"smtp {self.host}:{self.port}: {type(exc).__name__}: {exc}",
                                permanent=_smtp_permanent(exc)) from None
        if refused:
            # some recipients took it: sending again would give them a second copy
            raise DeliveryError(f"smtp {self.host}:{self.port}: refused {sorted(refused)}",
                                permanent=True)


def _smtp_permanent(exc: Exception) -> bool:
    """Whether an SMTP failure refuses the message itself for good: a 5xx reply to its data.

    A refused login, sender or recipient is a setting to mend, after which the message can go.
    """
    return isinstance(exc, smtplib.SMTPDataError) and 500 <= int(exc.smtp_code) < 600


def build_notifiers(receivers: Mapping[str, Receiver], *, stream: IO[str] | None = None,
                    env: Mapping[str, str] | None = None) -> dict[str, Notifier]:
    """Turn the receivers of a rule file into notifiers (secrets read from the environment).

    Raises
    ------
    ConfigError
        A webhook's ``url_env`` or an e-mail's ``password_env`` names an unset variable.
    """
    env = os.environ if env is None else env
    out: dict[str, Notifier] = {}
    for name, r in receivers.items():
        o = r.options
        if r.type == "console":
            choice = o.get("stream", "stdout")
            out[name] = ConsoleNotifier(stream if stream is not None else
                                        (sys.stderr if choice == "stderr" else None))
        elif r.type == "webhook":
            url = o.get("url") or env.get(str(o.get("url_env")), "")
            if not url:
                raise ConfigError(f"receiver {name!r}: environment variable "
                                  f"{o.get('url_env')} (the webhook URL) is not set")
            if not webhook_url_ok(url):   # the value is a secret: not repeated
                raise ConfigError(f"receiver {name!r}: environment variable "
                                  f"{o.get('url_env')} is not an http:// or https:// address "
                                  "(printable ASCII, no space or line break)")
            out[name] = WebhookNotifier(str(url), fmt=str(o.get("format", "json")),
                                        timeout=float(o.get("timeout", 10.0)),
                                        headers=o.get("headers"))
        else:
            password = None
            if o.get("password_env"):
                password = env.get(str(o["password_env"]))
                if password is None:
                    raise ConfigError(f"receiver {name!r}: environment variable "
                                      f"{o['password_env']} (the SMTP password) is not set")
            out[name] = EmailNotifier(host=str(o["host"]), port=int(o.get("port", 25)),
                                      sender=str(o["from"]), to=list(o["to"]),
                                      starttls=bool(o.get("starttls", False)),
                                      ssl=bool(o.get("ssl", False)),
                                      username=o.get("username"), password=password,
                                      timeout=float(o.get("timeout", 10.0)),
                                      subject_prefix=str(o.get("subject_prefix",
                                                               "[spillwatch]")))
    return out
