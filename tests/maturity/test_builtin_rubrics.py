"""The built-in maturity models beside cdmm: OWASP SAMM 2.0 and 1.5, OWASP DSOMM, and the Google and
Microsoft MLOps models. These are the facts a user relies on when a file is read against one of them:
the shape of each model, its scale, and the names files write for its areas."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from maturity import available_rubrics, load_rubric
from maturity.rubric import match_key

NEW_MODELS = ("samm", "samm15", "dsomm", "mlops_google", "mlops_microsoft")


def _all_builtins() -> list[str]:
    return available_rubrics()


def test_the_new_models_are_built_in():
    assert set(NEW_MODELS) <= set(available_rubrics())


@pytest.mark.parametrize("model_id", _all_builtins())
def test_every_builtin_loads_and_says_where_it_comes_from(model_id):
    rubric = load_rubric(model_id)
    assert rubric.id == model_id
    assert rubric.source.startswith("https://")
    assert rubric.license.strip()
    assert rubric.version.strip()
    assert rubric.description.strip()
    assert all(lv.summary for lv in rubric.levels)
    assert all(d.description for d in rubric.dimensions)
    assert all(p.description for d in rubric.dimensions for p in d.practices)


@pytest.mark.parametrize("model_id", _all_builtins())
def test_no_name_points_two_ways(model_id):
    rubric = load_rubric(model_id)
    areas: dict[str, str] = {}
    for dim in rubric.dimensions:
        for name in (dim.id, dim.name, *dim.synonyms):
            assert areas.setdefault(match_key(name), dim.id) == dim.id, f"{name!r} names two areas"
    levels: dict[str, int] = {}
    for level in rubric.levels:
        for name in (level.name, *level.aliases):
            assert not re.fullmatch(r"\s*\d+\s*", name), f"bare number {name!r} as a level alias"
            assert levels.setdefault(match_key(name), level.level) == level.level, f"{name!r} names two levels"
    groups: dict[str, str] = {}
    for group in rubric.groups:
        for name in (group.id, group.name, *group.synonyms):
            assert groups.setdefault(match_key(name), group.id) == group.id, f"{name!r} names two groups"
    practices: dict[str, str] = {}
    for dim in rubric.dimensions:
        for practice in dim.practices:
            for name in (practice.id, practice.label, *practice.synonyms):
                key = match_key(name)
                assert practices.setdefault(key, practice.id) == practice.id, f"{name!r} names two practices"


def _levels(model_id: str) -> list[int]:
    return [lv.level for lv in load_rubric(model_id).levels]


# ---- OWASP SAMM 2.0 --------------------------------------------------------------------------------

SAMM_GROUPS = {
    "governance": ("g_sm", "g_pc", "g_eg"),
    "design": ("d_ta", "d_sr", "d_sa"),
    "implementation": ("i_sb", "i_sd", "i_dm"),
    "verification": ("v_aa", "v_rt", "v_st"),
    "operations": ("o_im", "o_em", "o_om"),
}


def test_samm_has_five_functions_of_three_practices():
    samm = load_rubric("samm")
    assert [g.id for g in samm.groups] == list(SAMM_GROUPS)
    assert samm.dimension_ids == tuple(d for dims in SAMM_GROUPS.values() for d in dims)
    for group, dims in SAMM_GROUPS.items():
        assert all(samm.dimension(d).group == group for d in dims)
    assert samm.group_name("v_rt") == "Verification"


def test_samm_scores_fractionally_from_0_to_3():
    samm = load_rubric("samm")
    assert samm.fractional
    assert _levels("samm") == [0, 1, 2, 3]
    assert samm.version == "2.0"
    assert samm.label == "OWASP SAMM 2.0"
    assert "CC BY-SA 4.0" in samm.license


@pytest.mark.parametrize("area", [d for dims in SAMM_GROUPS.values() for d in dims])
def test_samm_area_has_two_streams_of_one_activity_per_level(area):
    samm = load_rubric("samm")
    dim = samm.dimension(area)
    assert len(dim.practices) == 6
    assert samm.practices_at(area, 0) == ()
    streams = Counter(p.stream for p in dim.practices)
    assert len(streams) == 2 and set(streams.values()) == {3}
    for level in (1, 2, 3):
        here = samm.practices_at(area, level)
        assert sorted(p.id for p in here) == [f"{area}.{level}.a", f"{area}.{level}.b"]
        assert len({p.stream for p in here}) == 2


def test_samm_has_90_activities():
    samm = load_rubric("samm")
    assert samm.practice_count == 90
    assert samm.dimension("o_om").practices[1].stream == "System Decommissioning / Legacy Management"
    assert samm.dimension("g_sm").practices[0].stream == "Create and Promote"


@pytest.mark.parametrize(
    ("written", "area"),
    [
        ("Strategy & Metrics", "g_sm"),
        ("Strategy & metrics", "g_sm"),
        ("Strategy and Metrics", "g_sm"),
        ("G-SM", "g_sm"),
        ("SM", "g_sm"),
        ("Policy & Compliance", "g_pc"),
        ("Education & Guidance", "g_eg"),
        ("Threat Assessment", "d_ta"),
        ("D-SR", "d_sr"),
        ("Secure Architecture", "d_sa"),
        ("Security Architecture", "d_sa"),
        ("Secure Build", "i_sb"),
        ("Secure Deployment", "i_sd"),
        ("Defect Management", "i_dm"),
        ("Architecture Assessment", "v_aa"),
        ("Requirements-driven Testing", "v_rt"),
        ("Requirements Driven Testing", "v_rt"),
        ("Requirements Testing", "v_rt"),
        ("V-RT", "v_rt"),
        ("Security Testing", "v_st"),
        ("Incident Management", "o_im"),
        ("Environment Management", "o_em"),
        ("Operational Management", "o_om"),
        ("  O-OM ", "o_om"),
    ],
)
def test_samm_area_names_as_files_write_them(written, area):
    assert load_rubric("samm").dimension_lookup[match_key(written)] == area


def test_samm_does_not_take_v1_names():
    lookup = load_rubric("samm").dimension_lookup
    # v1.5 names stay out of v2, even "Operational Enablement", which one 2.0 WIP toolbox puts on its O-OM row
    for old in (
        "Design Review",
        "Implementation Review",
        "Issue Management",
        "Environment Hardening",
        "Code Review",
        "Operational Enablement",
    ):
        assert match_key(old) not in lookup


@pytest.mark.parametrize(
    ("written", "practice"),
    [("G-SM-1-A", "g_sm.1.a"), ("G-SM-A-1", "g_sm.1.a"), ("I-SB-B-3", "i_sb.3.b"), ("o_om.2.b", "o_om.2.b")],
)
def test_samm_activity_ids_find_their_practice(written, practice):
    assert load_rubric("samm").practice_lookup[match_key(written)].id == practice


@pytest.mark.parametrize(
    ("written", "level"),
    [("No practice", 0), ("Not started", 0), ("Ad hoc", 1), ("Ad-hoc", 1), ("Defined", 2), ("Optimized", 3)],
)
def test_samm_level_names(written, level):
    assert load_rubric("samm").level_lookup[match_key(written)] == level


# ---- OWASP SAMM 1.5 --------------------------------------------------------------------------------

SAMM15_GROUPS = {
    "governance": ("sm", "pc", "eg"),
    "construction": ("ta", "sr", "sa"),
    "verification": ("dr", "ir", "st"),
    "operations": ("im", "eh", "oe"),
}


def test_samm15_has_twelve_practices_in_four_functions():
    samm15 = load_rubric("samm15")
    assert [g.id for g in samm15.groups] == list(SAMM15_GROUPS)
    assert [g.name for g in samm15.groups] == ["Governance", "Construction", "Verification", "Operations"]
    assert samm15.dimension_ids == tuple(d for dims in SAMM15_GROUPS.values() for d in dims)
    for group, dims in SAMM15_GROUPS.items():
        assert all(samm15.dimension(d).group == group for d in dims)
    assert samm15.fractional
    assert _levels("samm15") == [0, 1, 2, 3]
    assert samm15.version == "1.5"
    for dim in samm15.dimensions:
        assert [p.level for p in dim.practices] == [1, 2, 3]
    assert samm15.practice_count == 36


@pytest.mark.parametrize(
    ("written", "area"),
    [
        ("Strategy & metrics", "sm"),
        ("SM", "sm"),
        ("Design Review", "dr"),
        ("Design Analysis", "dr"),
        ("Implementation Review", "ir"),
        ("Code Review", "ir"),
        ("Issue Management", "im"),
        ("Vulnerability Management", "im"),
        ("Environment Hardening", "eh"),
        ("Operational Enablement", "oe"),
    ],
)
def test_samm15_area_names_as_files_write_them(written, area):
    assert load_rubric("samm15").dimension_lookup[match_key(written)] == area


def test_samm15_level_codes_find_their_objective():
    samm15 = load_rubric("samm15")
    assert samm15.practice_lookup[match_key("SM1")].id == "sm.1.objective"
    assert samm15.practice_lookup[match_key("OE3")].id == "oe.3.objective"
    assert "Deployment" in samm15.group("operations").synonyms  # SAMM 1.0's name for Operations


# ---- OWASP DSOMM -----------------------------------------------------------------------------------

# Activities per level (1..5) in each sub-dimension of DSOMM 4.3.1, grouped by dimension.
DSOMM_COUNTS = {
    "build_deployment": {
        "build": (1, 3, 1, 0, 1),
        "deployment": (3, 4, 3, 3, 1),
        "patch_management": (2, 4, 1, 1, 0),
    },
    "culture_organization": {
        "design": (1, 1, 3, 1, 1),
        "education_guidance": (2, 5, 5, 4, 1),
        "process": (1, 1, 2, 0, 0),
    },
    "implementation": {
        "application_hardening": (3, 2, 2, 1, 1),
        "development_source_control": (1, 1, 3, 1, 1),
        "infrastructure_hardening": (3, 9, 8, 4, 1),
    },
    "information_gathering": {
        "logging": (1, 2, 2, 0, 2),
        "monitoring": (3, 3, 5, 4, 1),
        "test_kpi": (0, 3, 3, 1, 0),
    },
    "test_verification": {
        "application_tests": (0, 1, 1, 1, 1),
        "consolidation": (2, 2, 7, 2, 1),
        "dynamic_depth_applications": (0, 3, 3, 1, 2),
        "dynamic_depth_infrastructure": (0, 3, 2, 1, 1),
        "static_depth_applications": (0, 4, 6, 2, 4),
        "static_depth_infrastructure": (2, 5, 2, 3, 0),
        "test_intensity": (1, 1, 2, 1, 0),
    },
}


def test_dsomm_has_19_sub_dimensions_in_5_dimensions():
    dsomm = load_rubric("dsomm")
    assert [g.id for g in dsomm.groups] == list(DSOMM_COUNTS)
    assert [g.name for g in dsomm.groups] == [
        "Build and Deployment",
        "Culture and Organization",
        "Implementation",
        "Information Gathering",
        "Test and Verification",
    ]
    assert dsomm.dimension_ids == tuple(d for dims in DSOMM_COUNTS.values() for d in dims)
    for group, dims in DSOMM_COUNTS.items():
        assert all(dsomm.dimension(d).group == group for d in dims)
    assert _levels("dsomm") == [1, 2, 3, 4, 5]
    assert not dsomm.fractional
    assert dsomm.version == "4.3.1"
    assert "GPL-3.0" in dsomm.license


def test_dsomm_has_all_194_activities():
    dsomm = load_rubric("dsomm")
    assert dsomm.practice_count == 194
    per_level = Counter(p.level for d in dsomm.dimensions for p in d.practices)
    assert [per_level[level] for level in range(1, 6)] == [26, 57, 61, 31, 19]


@pytest.mark.parametrize(
    ("area", "counts"), [(area, counts) for dims in DSOMM_COUNTS.values() for area, counts in dims.items()]
)
def test_dsomm_activities_per_level(area, counts):
    dsomm = load_rubric("dsomm")
    assert tuple(len(dsomm.practices_at(area, level)) for level in range(1, 6)) == counts


@pytest.mark.parametrize(
    ("written", "area"),
    [
        ("Patch Management", "patch_management"),
        ("PatchManagement", "patch_management"),
        ("Education & Guidance", "education_guidance"),
        ("Development & Source Control", "development_source_control"),
        ("Infrastructure Hardening", "infrastructure_hardening"),
        ("Monitoring", "monitoring"),
        ("Test KPI", "test_kpi"),
        ("Application tests", "application_tests"),
        ("Dynamic depth for applications", "dynamic_depth_applications"),
        ("Static depth for infrastructure", "static_depth_infrastructure"),
        ("Test-Intensity", "test_intensity"),
    ],
)
def test_dsomm_area_names_as_files_write_them(written, area):
    assert load_rubric("dsomm").dimension_lookup[match_key(written)] == area


def test_dsomm_implementation_label_quirk_is_not_a_group_synonym():
    dsomm = load_rubric("dsomm")
    assert "Infrastructure Hardening" not in dsomm.group("implementation").synonyms
    assert dsomm.dimension("infrastructure_hardening").group == "implementation"


@pytest.mark.parametrize(
    ("written", "practice"),
    [
        ("Defined build process", "build.1.defined_build_process"),
        ("Canary deployment", "deployment.4.canary_deployment"),
        ("App. Hardening Level 1 (50%)", "application_hardening.1.app_hardening_l1_50"),
        ("App. Hardening Level 1", "application_hardening.2.app_hardening_l1"),
        ("MFA", "infrastructure_hardening.2.mfa"),
        ("Software Composition Analysis (server side)", "static_depth_applications.2.sca_server_side"),
        ("Security lessons learned", "education_guidance.3.security_lessons_learned"),
    ],
)
def test_dsomm_activity_names_find_their_practice(written, practice):
    assert load_rubric("dsomm").practice_lookup[match_key(written)].id == practice


# ---- MLOps models ----------------------------------------------------------------------------------


def test_google_mlops_has_levels_0_to_2():
    google = load_rubric("mlops_google")
    assert [(lv.level, lv.name) for lv in google.levels] == [
        (0, "Manual process"),
        (1, "ML pipeline automation"),
        (2, "CI/CD pipeline automation"),
    ]
    assert not google.fractional
    assert google.groups == ()
    for dim in google.dimensions:  # every area has something to reach above the manual level
        assert any(p.level > 0 for p in dim.practices)
    assert google.dimension_lookup[match_key("Continuous training")] == "continuous_training"
    assert google.dimension_lookup[match_key("Monitoring")] == "monitoring"
    assert google.dimension_lookup[match_key("Pipeline CI/CD")] == "pipeline_cicd"


def test_microsoft_mlops_has_levels_0_to_4_and_four_areas():
    microsoft = load_rubric("mlops_microsoft")
    assert [(lv.level, lv.name) for lv in microsoft.levels] == [
        (0, "No MLOps"),
        (1, "DevOps but no MLOps"),
        (2, "Automated training"),
        (3, "Automated model deployment"),
        (4, "Full MLOps automated operations"),
    ]
    assert microsoft.dimension_ids == ("people", "model_creation", "model_release", "application_integration")
    assert [d.name for d in microsoft.dimensions] == [
        "People",
        "Model Creation",
        "Model Release",
        "Application Integration",
    ]
    assert not microsoft.fractional
    assert microsoft.level_lookup[match_key("Full MLOps Automated Retraining")] == 4  # older revisions' name
    assert microsoft.dimension_lookup[match_key("model creation")] == "model_creation"
