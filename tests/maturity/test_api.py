import ast
from pathlib import Path

import maturity

PACKAGE = Path(maturity.__file__).parent


def test_all_lists_exactly_the_public_api():
    assert sorted(maturity.__all__) == sorted(set(maturity.__all__))
    for name in maturity.__all__:
        assert hasattr(maturity, name), name
    public = {n for n in vars(maturity) if not n.startswith("_") and n not in {"annotations"}}
    modules = {n for n in public if type(getattr(maturity, n)).__name__ == "module"}
    assert public - modules == set(maturity.__all__)


def test_engine_never_imports_streamlit():
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            assert not any(n.split(".")[0] == "streamlit" for n in names), path


def test_public_functions_have_docstrings():
    for name in maturity.__all__:
        obj = getattr(maturity, name)
        if callable(obj):
            assert obj.__doc__ and obj.__doc__.strip(), name
