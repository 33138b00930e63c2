"""spillwatch._kept.Kept: the least recently *asked* key is dropped first, and never more than
``size`` values are kept (h_mut10: dropping the move-to-end, evicting the newest, ``>=`` for ``>``
or the eviction loop left the suite green)."""

from __future__ import annotations

from spillwatch._kept import Kept


def _counting(kept: Kept, calls: list[str]):
    def get(key: str) -> str:
        def compute() -> str:
            calls.append(key)
            return key.upper()
        return kept.get(key, compute)
    return get


def test_the_least_recently_asked_is_dropped_first():
    calls: list[str] = []
    kept: Kept[str] = Kept(2)
    get = _counting(kept, calls)
    assert [get("a"), get("b"), get("a")] == ["A", "B", "A"]    # a asked again: b is the oldest
    assert calls == ["a", "b"] and len(kept) == 2
    get("c")                                                     # drops b, keeps a and c
    assert len(kept) == 2
    assert [get("a"), get("c")] == ["A", "C"] and calls == ["a", "b", "c"]
    get("b")                                                     # b computed again
    assert calls == ["a", "b", "c", "b"] and len(kept) == 2


def test_never_more_than_size_values():
    calls: list[str] = []
    kept: Kept[str] = Kept(3)
    get = _counting(kept, calls)
    for key in "abcdefg":
        get(key)
    assert len(kept) == 3 and calls == list("abcdefg")
    assert [get(k) for k in "efg"] == list("EFG") and calls == list("abcdefg")   # the last 3
