"""The maturity model the file is read against, and the default target of a file without targets: the
sidebar's pickers and the rubric uploader, and their callbacks. A model that cannot read the file is
refused with the reason, the model in use staying as it was."""

from __future__ import annotations

from dataclasses import replace

import maturity
from maturity import GapmapError
from pages._ui import analysis, cache, session
from pages._ui.key import AnalysisKey, Model
from pages._ui.loading import load_source

UPLOADED_MODEL = "file"  # the picker's value for the rubric file the user uploaded
DEFAULT_TARGETS = ("next", "1", "2", "3", "4", "5")  # levels as a model numbers them; the model says which exist


def model_label(choice: str) -> str:
    """How the picker shows ``choice``."""
    if choice == maturity.AUTO:
        return "Automatic: chosen from the file"
    if choice == maturity.OWN:
        return "The file's own model"
    if choice == UPLOADED_MODEL:
        return "Your rubric file"  # its name is in the caption below the picker
    return maturity.load_rubric(choice).label


def model_choices() -> list[str]:
    """The picker's options: automatic, every built-in model, the file's own, and an uploaded rubric;
    the picker starts on the model asked for."""
    asked = session.model()
    uploaded = [UPLOADED_MODEL] if asked.rubric is not None else []
    session.default_widget_value(session.MODEL_PICKER, asked.requested)
    return [maturity.AUTO, *maturity.available_rubrics(), maturity.OWN, *uploaded]


def model_error() -> str | None:
    """Why the last rubric file uploaded could not be used, if it could not."""
    return session.model_error()


def use_model(asked: Model) -> bool:
    """Read the loaded file against ``asked``; False (and the reason kept for the page) when it cannot
    be read that way, the model in use then staying as it was. Layout corrections stay (refitted to the
    new model's levels); targets changed by hand go, since their rows may have moved."""
    try:
        cache.file_assessment(AnalysisKey(analysis.source(), asked, session.layout()))
    except GapmapError as error:
        session.set_model_error(str(error))
        return False
    session.set_model_error(None)
    session.set_model(asked)
    session.set_target_edits(None)
    session.bump_edit_version()
    return True


def on_model_picked() -> None:
    """The model picker's callback: read the file against the model picked, or say why it cannot be."""
    picked = session.widget_value(session.MODEL_PICKER)
    asked = session.model()
    if picked == UPLOADED_MODEL and asked.rubric is None:
        return
    if not use_model(asked if picked == UPLOADED_MODEL else Model(picked, default_target=asked.default_target)):
        session.set_widget_value(session.MODEL_PICKER, session.model().requested)


def on_model_uploaded() -> None:
    """The rubric uploader's callback: validate the YAML; a valid model is used at once, an invalid one
    leaves the model as it was and says why."""
    uploaded = session.widget_value(session.MODEL_UPLOADER)
    if uploaded is None:
        return
    try:
        rubric = maturity.rubric_from_yaml(uploaded.getvalue(), uploaded.name)
    except GapmapError as error:
        session.set_model_error(str(error))
        return
    if use_model(Model(UPLOADED_MODEL, rubric, session.model().default_target)):
        session.set_widget_value(session.MODEL_PICKER, UPLOADED_MODEL)


def default_target_label(choice: str) -> str:
    """How the default-target pickers show ``choice``."""
    return "One level above current" if choice == "next" else f"Level {choice} for every row"


def on_default_target(key: str) -> None:
    """The default-target pickers' callback (widget ``key``): read the waiting upload, or the loaded
    file, with the target chosen."""
    chosen = session.widget_value(key)
    if not chosen:
        return
    asked = replace(session.model(), default_target=chosen)
    waiting = session.pending()
    if waiting is None:
        use_model(asked)
        return
    session.set_model(asked)
    if load_source(replace(waiting, kind="")) is not None:
        session.set_model(replace(asked, default_target=None))
