from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import yaml

from maturity import vocabulary
from maturity.layout import ROLES, column_role
from maturity.layout import headers as layout_headers
from maturity.layout.headers import _group_level_header
from maturity.roadmap import effort_points, priority_points
from maturity.rubric import available_rubrics, match_key


def _clear_caches() -> None:
    """Forget every word loaded from the YAML and everything layout derived from it."""
    for module in (vocabulary, layout_headers):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


@pytest.fixture
def vocabulary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[dict], None]], None]:
    """Point the loader at a copy of ``vocabulary.yaml`` changed by ``edit``; the real file again afterwards."""
    document = yaml.safe_load(vocabulary._PATH.read_text(encoding="utf-8"))

    def use(edit: Callable[[dict], None]) -> None:
        edit(document)
        path = tmp_path / "vocabulary.yaml"
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
        monkeypatch.setattr(vocabulary, "_PATH", path)
        _clear_caches()

    yield use
    _clear_caches()


def test_the_vocabulary_loads():
    assert vocabulary.role_phrases()["unit"][:2] == ("unit", "business unit")
    assert vocabulary.level_keywords()["current"][0] == "current" and "to be" in vocabulary.level_keywords()["target"]
    assert {"level", "maturity"} <= vocabulary.header_filler_words()
    assert vocabulary.priority_words()["critical"] == 4 and vocabulary.effort_words()["xs"] == 0.5


def test_the_roles_of_the_phrases_are_layouts_roles():
    assert set(vocabulary.role_phrases()) == set(ROLES)


def test_no_phrase_names_two_roles():
    raw = yaml.safe_load(vocabulary._PATH.read_text(encoding="utf-8"))["role_phrases"]
    roles_of: dict[str, set[str]] = {}
    for role, phrases in raw.items():
        for phrase in phrases:
            roles_of.setdefault(match_key(phrase), set()).add(role)
    assert {phrase: roles for phrase, roles in roles_of.items() if len(roles) > 1} == {}


def test_a_phrase_naming_two_roles_is_refused(vocabulary_file):
    vocabulary_file(lambda d: d["role_phrases"]["notes"].append("Owner"))
    with pytest.raises(ValueError, match="'owner' names both owner and notes"):
        vocabulary.role_phrases()


def test_a_role_layout_does_not_know_is_refused(vocabulary_file):
    vocabulary_file(lambda d: d["role_phrases"].update(budget=["budget"]))
    with pytest.raises(ValueError, match="unknown roles"):
        column_role("Budget")


@pytest.mark.parametrize(
    ("entry", "word", "read", "expected"),
    [
        ("role_phrases.unit", "Geschäftsbereich", lambda: column_role("Geschäftsbereich"), "unit"),
        ("role_phrases.dimension", "Handlungsfeld", lambda: column_role("Handlungsfeld (1-5)"), "dimension"),
        ("role_phrases.practice", "Pratique clé", lambda: column_role("pratique-cle"), "practice"),
        ("level_keywords.current", "Ist", lambda: column_role("Ist-Level 2025"), "current"),
        ("level_keywords.target", "Soll", lambda: column_role("Soll maturity"), "target"),
        ("group_level_keywords.target", "Soll", lambda: _group_level_header("Payments - Soll"), ("target", "Payments")),
        ("group_level_keywords.current", "stand heute", lambda: _group_level_header("Lending: Stand-heute"),
         ("current", "Lending")),
        ("header_filler_words", "niveau", lambda: column_role("Target niveau"), "target"),
        ("priority_words", ("dringend", 4), lambda: priority_points(pd.Series(["Dringend"])).tolist(), [4.0]),
        ("effort_words", ("gross", 3), lambda: effort_points(pd.Series(["GROSS"])).tolist(), [3.0]),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_a_word_added_to_the_yaml_is_honoured(vocabulary_file, entry, word, read, expected):
    assert read() != expected  # not read so before the line is added

    def add(document: dict) -> None:
        key, _, role = entry.partition(".")
        if isinstance(word, tuple):
            document[key][word[0]] = word[1]
        else:
            (document[key][role] if role else document[key]).append(word)

    vocabulary_file(add)
    assert read() == expected


def test_generic_words_name_no_built_in_model():
    models = {"cd", "cdmm", *(w for model in available_rubrics() for w in model.split("_")), *available_rubrics()}
    entries = {
        "role_phrases": [p for phrases in vocabulary.role_phrases().values() for p in phrases],
        "level_keywords": [w for words in vocabulary.level_keywords().values() for w in words],
        "header_filler_words": sorted(vocabulary.header_filler_words()),
        "priority_words": list(vocabulary.priority_words()),
        "effort_words": list(vocabulary.effort_words()),
    }
    named = {key: [w for w in words if set(w.split()) & models] for key, words in entries.items()}
    assert named == {key: [] for key in entries}
