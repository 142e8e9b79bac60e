"""engine.design.guides: guide.yaml shape checks, answer checks and the one-time notice."""

from __future__ import annotations

import pytest
import yaml

from engine.core.errors import InvalidInput
from engine.design import guides
from tests.design.bundles.support import files


def _with_guide(key: str, change) -> dict[str, bytes]:
    bundle = files(key)
    doc = yaml.safe_load(bundle["guide.yaml"])
    change(doc)
    bundle["guide.yaml"] = yaml.safe_dump(doc, allow_unicode=True).encode()
    return bundle


@pytest.mark.parametrize("key", ["restaurant", "start-business", "employment"])
def test_shipped_guides_load(key):
    guide = guides.load_guide(files(key))
    assert guide.title.zh and guide.title.en and guide.key == key
    assert guide.commitment_days <= guide.statutory_days
    assert {c.id for c in guide.channels} == set(guides.CHANNELS)


def test_missing_guide_is_a_clear_error():
    bundle = files("restaurant")
    del bundle["guide.yaml"]
    with pytest.raises(InvalidInput, match="no guide.yaml"):
        guides.load_guide(bundle)


def test_bad_yaml_is_a_clear_error():
    bundle = files("restaurant")
    bundle["guide.yaml"] = b"key: [unclosed"
    with pytest.raises(InvalidInput, match="not valid YAML"):
        guides.load_guide(bundle)


def test_shape_problems_name_their_paths():
    def spoil(doc):
        doc["materials"][0]["items"].append("XX-999")
        doc["questions"][0]["type"] = "date"
        doc["channels"][0]["id"] = "fax"
        doc["items"][0]["commitment_days"] = 99
        doc["materials"].append(dict(doc["materials"][1]))
        del doc["title"]["zh"]

    with pytest.raises(InvalidInput) as caught:
        guides.load_guide(_with_guide("restaurant", spoil))
    paths = {f.path for f in caught.value.fields}
    assert {"materials[0].items[4]", "questions[0].type", "channels[0].id",
            "items[0].commitment_days", "title.zh"} <= paths
    assert any("appears more than once" in f.message for f in caught.value.fields)


@pytest.mark.parametrize(("answers", "field"), [
    ({"area": "big"}, "area"), ({"has_licence": "yes"}, "has_licence"),
    ({"menu": "pizza"}, "menu"), ({"pets": True}, "pets"),
])
def test_bad_answers_are_refused(answers, field):
    with pytest.raises(InvalidInput) as caught:
        guides.evaluate(files("restaurant"), answers)
    assert [f.path for f in caught.value.fields] == [field]


def test_notice_in_english_and_for_no_items():
    bundle = files("employment")
    guide = guides.load_guide(bundle)
    empty = guides.evaluate(bundle, {"start_business": False})
    assert empty.items == () and empty.materials == ()
    assert "no item of this bundle applies" in guides.one_time_notice(guide, empty, "en")
    full = guides.evaluate(bundle, {"age": 22, "graduate": True, "wants_subsidy": True})
    text = guides.one_time_notice(guide, full, "en")
    assert "Start-up subsidy" in text and "Diploma" in text and "15 working days" in text
    with pytest.raises(InvalidInput):
        guides.one_time_notice(guide, full, "fr")


def test_a_case_is_not_started_on_answers_of_the_wrong_type(rt, db):
    from tests.design.bundles.support import BundleScenario

    sc = BundleScenario(rt, db)
    sc.deploy_bundle("restaurant")
    with pytest.raises(InvalidInput) as err:
        sc.start_case("restaurant", {"has_licence": False, "area": "big", "menu": "hot_food",
                                     "outdoor_sign": False})
    assert [f.path for f in err.value.fields] == ["area"]
