"""The shared modules of the pages (pages/_ui/): the one place that touches session state, and the
cache key that stands for a file without hashing its bytes."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

from streamlit.runtime.caching.hashing import CacheType, update_hash

from maturity import Layout
from pages._ui.key import HASH_FUNCS, AnalysisKey, Model, Source

ROOT = Path(__file__).resolve().parents[2]
SESSION = ROOT / "pages" / "_ui" / "session.py"


def test_only_the_session_module_touches_session_state():
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").rglob("*.py"))]:
        if path == SESSION:
            continue
        names = {node.attr for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Attribute)}
        assert "session_state" not in names, f"{path.relative_to(ROOT)} reads st.session_state"


def cache_hash(value: object) -> str:
    """What st.cache_resource hashes ``value`` to, with the pages' hash_funcs."""
    hasher = hashlib.md5(usedforsecurity=False)
    update_hash(value, hasher, CacheType.RESOURCE, hash_funcs=HASH_FUNCS)
    return hasher.hexdigest()


def test_a_key_is_hashed_by_the_files_digest_not_its_bytes():
    upload = Source.of("teams.csv", b"Unit,Dimension\n" * 1000)
    same_digest = Source(upload.name, b"other bytes", upload.digest, kind="rescued")
    assert cache_hash(AnalysisKey(upload)) == cache_hash(AnalysisKey(same_digest))
    assert cache_hash(AnalysisKey(upload)) != cache_hash(AnalysisKey(Source.of("teams.csv", b"Unit\n")))
    assert cache_hash(AnalysisKey(upload)) != cache_hash(AnalysisKey(Source.of("other.csv", upload.data)))


def test_each_part_of_the_key_changes_its_hash():
    base = AnalysisKey(Source.of("teams.csv", b"data"))
    variants = [base, AnalysisKey(base.source, Model("samm")), AnalysisKey(base.source, Model(default_target="next")),
                AnalysisKey(base.source, targets=((3, 4),)), AnalysisKey(base.source, targets=((3, 5),)),
                AnalysisKey(base.source, layout=Layout(())),
                AnalysisKey(base.source, layout=Layout((), single_unit="Ops"))]
    assert len({cache_hash(key) for key in variants}) == len(variants)


def test_the_file_and_read_keys_drop_what_they_do_not_depend_on():
    key = AnalysisKey(Source.of("teams.csv", b"data"), Model("samm", default_target="next"), targets=((3, 4),))
    assert key.read_key == AnalysisKey(key.source, key.model)
    assert key.file_key == AnalysisKey(key.source)
    assert cache_hash(key.read_key) == cache_hash(AnalysisKey(key.source, key.model, None, ()))
