import ast
import subprocess
import sys
from pathlib import Path

import maturity

PACKAGE = Path(maturity.__file__).parent


def test_all_lists_exactly_the_public_api():
    assert sorted(maturity.__all__) == sorted(set(maturity.__all__))
    for name in maturity.__all__:
        assert hasattr(maturity, name), name
    public = {n for n in vars(maturity) if not n.startswith("_") and n not in {"annotations", "TYPE_CHECKING"}}
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


def test_importing_the_engine_or_its_reader_loads_no_pandas():
    # The command line reads a workbook (calamine, on a second thread) while pandas and the rest of the
    # engine load: that needs the package and its reader to import without them.
    code = ("import sys, maturity, maturity.reader, maturity.rubric; "
            "print(sorted(m for m in ('pandas', 'numpy', 'plotly') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=PACKAGE.parent)
    assert done.stdout.strip() == "[]"


def test_normalize_stays_the_function_when_its_module_is_imported():
    import importlib

    module = importlib.import_module("maturity.normalize")  # as every module importing Assessment does
    from maturity import normalize

    assert normalize is module.normalize and callable(normalize)
    assert maturity.normalize is module.normalize
