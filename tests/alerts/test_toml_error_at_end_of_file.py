"""A TOML syntax error at the end of a rule or episode file names its last line, not line 0.

tomllib says "(at end of document)" for a string, inline table or value left open at the end
of the file; the line was read from "(at line N" only, so the refusal named line 0 (found by
fuzzing mutated copies of the default rule file).
"""

from __future__ import annotations

import pytest

from spillwatch.alerts.backtest.episodes import load_episodes
from spillwatch.alerts.rules import load_rules
from spillwatch.exceptions import ConfigError

RULE = '[[rule]]\nname = "x"\nfact = "stress.percentile"\nop = ">"\nvalue = 1\n'


@pytest.mark.parametrize(("tail", "line", "said"), [
    ('summary = "abc', 6, "Unterminated string"),
    ("labels = {", 6, "Invalid initial character for a key part"),
    ('labels = { a = "b" ', 6, "Unclosed inline table"),
    ('summary = """abc\n\n', 6, "Unterminated string"),
])
def test_a_rule_file_open_at_its_end_names_the_last_line(tmp_path, tail, line, said):
    p = tmp_path / "r.toml"
    p.write_text(RULE + tail, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rules(p)
    assert err.value.message.startswith(f"{p}:{line}: not valid TOML: "), err.value.message
    assert said in err.value.message and err.value.line == line


def test_an_episode_file_open_at_its_end_names_the_last_line(tmp_path):
    p = tmp_path / "e.toml"
    p.write_text('[[episode]]\nname = "one"\ntitle = "first', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_episodes(p)
    assert err.value.message.startswith(f"{p}:3: not valid TOML: "), err.value.message
