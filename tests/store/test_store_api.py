"""maturity.store's public API: ``__all__`` lists exactly what it offers, each callable documented, and
the store never imports streamlit (the engine test covers every module of maturity/)."""

import maturity.store as store


def test_all_lists_exactly_the_public_api():
    assert sorted(store.__all__) == sorted(set(store.__all__))
    public = {n for n in vars(store) if not n.startswith("_") and n != "annotations"}
    modules = {n for n in public if type(getattr(store, n)).__name__ == "module"}
    assert public - modules == set(store.__all__)


def test_public_functions_have_docstrings():
    for name in store.__all__:
        obj = getattr(store, name)
        if callable(obj):
            assert obj.__doc__ and obj.__doc__.strip(), name
