"""A service's message in an endpoint's terms (its options by the endpoint's names)."""

from __future__ import annotations

import re
from collections.abc import Collection

#: A command written out just before an option (``spillwatch serve --rules``).
_COMMAND = re.compile(r"spillwatch(?: [\w-]+)+ $")
#: A quoted word in a message (the caller's input, as ``repr`` writes it).
_QUOTED = re.compile(r"(?<!\w)'[^']*'(?!\w)|\"[^\"]*\"")
#: A command-line option in a service's message (``--as-of``, ``--assets``).
_OPTION = re.compile(r"(?<![\w-])--([a-z][a-z0-9]*(?:-[a-z0-9]+)*)")


def api_terms(text: str, params: Collection[str], sent: Collection[str] = ()) -> str:
    """A service's message in an endpoint's terms: each option it takes by its own name.

    The service layer's errors speak to the command line (``give a --start before
    2013-06-24``); an option the endpoint takes under its name (``--as-of`` as ``as_of``,
    ``--seller`` as ``sellers``) is written so, and one it does not take is named as the
    command line's, with what the endpoint takes. A command written out (``spillwatch serve
    --rules``), a quoted word and what the caller ``sent`` (a query parameter's name or value,
    a path segment: ``/api/series/--end``) are left as they are.

    >>> api_terms("the window ends (2013-06-24, the --end or --as-of)", {"as_of", "end"})
    'the window ends (2013-06-24, the end or as_of)'
    >>> api_terms("give a --start before 2013-06-24", {"as_of"})
    "give a --start before 2013-06-24 (--start: the command line's; this endpoint takes as_of)"
    >>> api_terms("unknown asset '--end'; unknown parameter --as-of", {"end"}, {"--as-of"})
    "unknown asset '--end'; unknown parameter --as-of"
    >>> api_terms("the data's last day: give a --start (the window's)", {"start"})
    "the data's last day: give a start (the window's)"
    """
    other: list[str] = []
    quoted = [m.span() for m in _QUOTED.finditer(text)]

    def name(m: re.Match[str]) -> str:
        if (_COMMAND.search(text, 0, m.start()) or m.group(0) in sent
                or any(a < m.start() < b for a, b in quoted)):
            return m.group(0)         # a command written out, or the caller's own words
        key = m.group(1).replace("-", "_")
        for k in (key, key + "s"):
            if k in params:
                return k
        if m.group(0) not in other:
            other.append(m.group(0))
        return m.group(0)

    out = _OPTION.sub(name, text)
    if other:
        takes = ", ".join(sorted(params)) if params else "no parameters"
        out += f" ({', '.join(other)}: the command line's; this endpoint takes {takes})"
    return out
