"""Officers' titles in English, French, Spanish and Russian: one table, read by the agenda
importer (labels, roles, honorifics) and by the report."""

from __future__ import annotations

import textwrap

import pytest

from sessiontui.core.agenda import Agenda
from sessiontui.core.offices import Secretariat, office_of, person_of, secretariat_of
from sessiontui.importers import import_bytes


@pytest.mark.parametrize(
    ("name", "office", "lang", "rest"),
    [
        ("Chair", "chair", "en", ""),
        ("President of the Conference", "president", "en", " of the Conference"),
        ("Présidente de la Conférence", "chair", "fr", " de la Conférence"),
        ("Presidenta", "chair", "es", ""),
        ("Председатель", "chair", "ru", ""),
        ("Заместитель Председателя", "vice-chair", "ru", ""),
        ("Докладчик", "rapporteur", "ru", ""),
        ("Секретарь Конференции", "secretary", "ru", " Конференции"),
        ("Генеральный секретарь", "secretary-general", "ru", ""),
        ("Secretariat", "secretariat", "en", ""),
        ("Director, Ethics Office", "director", "en", ", Ethics Office"),
    ],
)
def test_an_office_is_known_in_each_language(name: str, office: str, lang: str, rest: str) -> None:
    found = office_of(name)
    assert found is not None
    assert (found.office, found.lang, found.rest) == (office, lang, rest)


@pytest.mark.parametrize(
    "name", ["Ms. Ana Ruiz, Chair", "г-жа Иванова, Председатель", "Chairs of groups", "Brazil"]
)
def test_a_person_or_anything_else_is_no_office(name: str) -> None:
    assert office_of(name) is None


def test_a_russian_agenda_names_its_rapporteurs_and_documents() -> None:
    text = """\
        Предварительная повестка дня

        1. Открытие сессии
           Докладчик: Председатель
        2. Выборы должностных лиц
           Докладчик: г-жа Иванова, Заместитель Председателя
        3. Техническая помощь
           Документы: CTOC/COP/WG.2/2026/2
        """
    result = import_bytes(textwrap.dedent(text).encode("utf-8"), "agenda.txt")
    nodes = list(Agenda(result.spec))
    assert [node.title for node in nodes] == [
        "Открытие сессии",
        "Выборы должностных лиц",
        "Техническая помощь",
    ]
    assert nodes[0].presenters == ("Председатель",)
    assert nodes[1].presenters == ("г-жа Иванова, Заместитель Председателя",)
    assert nodes[2].documents == ("CTOC/COP/WG.2/2026/2",)


@pytest.mark.parametrize(
    ("text", "courtesy", "name", "office", "gender"),
    [
        ("Ms. Ana Ruiz, Chair", "Ms.", "Ana Ruiz", "chair", "f"),
        ("Mme Ana Ruiz, Présidente de la Conférence", "Mme", "Ana Ruiz", "chair", "f"),
        ("M. Jean Dupont", "M.", "Jean Dupont", None, "m"),
        ("г-жа Иванова, Председатель", "г-жа", "Иванова", "chair", "f"),
        ("Ana Ruiz, Présidente", "", "Ana Ruiz", "chair", "f"),
        ("Dr. Ana Ruiz, Director, Ethics Office", "", "Dr. Ana Ruiz", "director", ""),
    ],
)
def test_a_person_is_known_by_courtesy_title_and_office(
    text: str, courtesy: str, name: str, office: str | None, gender: str
) -> None:
    found = person_of(text)
    assert found is not None
    assert (found.courtesy, found.name, found.gender) == (courtesy, name, gender)
    assert (found.office.office if found.office else None) == office


@pytest.mark.parametrize(
    "text", ["Chair", "President of the Conference", "Brazil", "Ana Ruiz", "Mission of Brazil"]
)
def test_an_office_or_a_bare_name_is_no_person(text: str) -> None:
    assert person_of(text) is None


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("Secretariat", ""),
        ("the secretariat", ""),
        ("Le Secrétariat", ""),
        ("IMO Secretariat", "IMO"),
        ("the UNFCCC secretariat", "UNFCCC"),
        ("the secretariat of the Basel Convention", "Basel Convention"),
        ("Secretariat (UNODC)", "UNODC"),
        ("Secretariat, UNODC", "UNODC"),
        ("Secrétariat de la Convention", "Convention"),
        ("Secretaría de la Convención", "Convención"),
        ("Секретариат ЮНОДК", "ЮНОДК"),
        ("Secretary of the Commission", None),
        ("Secretariat building", None),
        ("Brazil", None),
    ],
)
def test_a_secretariat_is_known_however_it_is_named(name: str, body: str | None) -> None:
    assert secretariat_of(name) == body


@pytest.mark.parametrize(
    ("configured", "name", "role"),
    [
        ("UNODC", "UNODC", "secretariat"),
        ("UNODC", "unodc secretariat", "secretariat"),
        ("UNODC", "Secretariat of UNODC", "secretariat"),
        ("UNODC", "Secretariat", "secretariat"),
        ("UNODC", "Basel Convention Secretariat", "observer"),
        ("UNODC", "Brazil", None),
        ("the secretariat of the Basel Convention", "Basel Convention Secretariat", "secretariat"),
        ("the secretariat of the Basel Convention", "UNODC", None),
        ("United Nations Office on Drugs and Crime (UNODC)", "UNODC", "secretariat"),
        ("", "IMO Secretariat", "secretariat"),
        ("", "UNODC", None),
    ],
)
def test_the_meeting_s_secretariat_is_told_from_another_s(
    configured: str, name: str, role: str | None
) -> None:
    assert Secretariat.named(configured).role_of(name) == role


@pytest.mark.parametrize(
    ("text", "name", "office", "gender"),
    [
        ("Mr. Li Wei (Vice-Chair)", "Li Wei", "vice-chair", "m"),
        ("Ana Ruiz (Rapporteur)", "Ana Ruiz", "rapporteur", ""),
    ],
)
def test_an_office_in_brackets_after_a_name(text: str, name: str, office: str, gender: str) -> None:
    found = person_of(text)
    assert found is not None and found.office is not None
    assert (found.name, found.office.office, found.gender) == (name, office, gender)


def test_words_in_brackets_that_are_no_office_make_no_person() -> None:
    assert person_of("Brazil (on behalf of the Group of 77 and China)") is None
