"""Given events, when a command, then events (or a refusal) — PartnerStructure and the
claims of its SIRET and name."""

from datetime import date
from uuid import uuid4

import pytest

from peerwork_common.domain.errors import DuplicateError, InvalidValueError, RuleBrokenError
from peerwork_registry.domain.partner_structure import NameIndex, PartnerStructure, SiretIndex
from peerwork_registry.domain.values import normalised_name

MARCH = date(2020, 3, 2)
SIRET = "73282932000074"


def registered(**overrides) -> PartnerStructure:  # noqa: ANN003
    fields = {"name": "Le Relais", "siret": None, "departement": "38", "sector": "culture", "effective_on": MARCH}
    structure = PartnerStructure.register(**{**fields, **overrides})
    structure.collect_events()
    return structure


def test_a_correction_records_the_whole_corrected_record_dated_as_the_registration():
    structure = registered()
    structure.correct("typed in the wrong département", departement="69", sector="addiction", name="Le Relais")
    [event] = structure.collect_events()
    assert isinstance(event, PartnerStructure.Corrected)
    assert (event.name, event.siret, event.departement, event.sector) == ("Le Relais", None, "69", "addiction")
    assert event.corrected == ["departement", "sector"]  # the name was already so
    assert (event.effective_on, event.reason) == (MARCH, "typed in the wrong département")
    assert (structure.departement, structure.sector.value, structure.registered_on) == ("69", "addiction", MARCH)


def test_a_siret_is_set_changed_and_removed():
    structure = registered()
    structure.correct("found", siret=SIRET)
    assert structure.siret == SIRET
    structure.correct("it was the parent's", siret=None)
    assert structure.siret is None
    assert [e.corrected for e in structure.collect_events()] == [["siret"], ["siret"]]


def test_a_correction_that_changes_nothing_says_what_is_already_so():
    structure = registered(siret=SIRET)
    with pytest.raises(RuleBrokenError, match="its departement is already '38'; its siret is already '73282932000074'"):
        structure.correct("why not", departement="38", siret=SIRET)
    with pytest.raises(RuleBrokenError, match="its siret is already empty"):
        registered().correct("why not", siret=None)
    assert structure.collect_events() == []


def test_a_correction_checks_its_values_and_needs_a_reason():
    structure = registered()
    with pytest.raises(InvalidValueError, match="SIRET"):
        structure.correct("typo", siret="73282932000075")
    with pytest.raises(InvalidValueError, match="Corsica"):
        structure.correct("typo", departement="20")
    with pytest.raises(InvalidValueError, match="reason"):
        structure.correct("  ", departement="69")
    with pytest.raises(InvalidValueError, match="at least one"):
        structure.correct("nothing")
    assert structure.collect_events() == []


def test_a_released_siret_is_claimed_again_by_its_aggregate_not_a_new_one():
    first, second = uuid4(), uuid4()
    index = SiretIndex(SIRET, first)
    assert index.id == SiretIndex.create_id(SIRET)
    with pytest.raises(DuplicateError) as refused:
        index.claim(second)
    assert refused.value.existing_id == first
    index.release(second)  # not its holder: nothing happens
    assert index.structure_id == first
    index.release(first)
    index.claim(second)
    assert [type(e).__name__ for e in index.collect_events()] == ["Claimed", "Released", "Reclaimed"]
    assert (index.structure_id, index.version) == (second, 3)


def test_names_read_the_same_without_case_accents_punctuation_or_generic_words():
    assert normalised_name("Association L'Étape  — Grenoble") == normalised_name("l etape grenoble") == "l etape grenoble"
    assert normalised_name("ASSO Le Relais") == normalised_name("le-relais") == "le relais"
    assert normalised_name("Association") == "association"  # nothing specific left: as it is
    assert normalised_name("Le Relais") != normalised_name("Le Relais Ozanam")
    assert NameIndex.key_of("Le Relais", "38") != NameIndex.key_of("Le Relais", "69")
