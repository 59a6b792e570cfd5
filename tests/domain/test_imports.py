"""Imports of ideas from a spreadsheet, on SQLite and PostgreSQL: refusals naming row, column
and reason; all or nothing; a re-import with source ids changes nothing; every encoding a
spreadsheet writes; people's words (accents, emoji, a leading "=") stored as typed; the intake
record made once per programme and kept out of the phone web."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from meetingtui.domain import imports, intake, programmes
from meetingtui.domain.errors import NotFound
from meetingtui.domain.imports import ImportFileError, ImportRefused, read_table
from meetingtui.domain.models import Event, Idea, Meeting
from meetingtui.domain.search import IdeaQuery, search_ideas
from meetingtui.domain.states import MeetingKind
from meetingtui.export.import_template import write_template
from meetingtui.web.views import find_public_meeting
from tests.domain.test_lifecycle_answers import new_meeting

HEADING = "title,detail,raised_by,stakeholder,channel,topic,tags,benefits,source_id\n"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def programme_named(session, name: str):
    return programmes.find_programme(session, name)


def do_import(database, path: Path, *, programme: str = "Transport", meeting=None, **options):
    table = read_table(path)
    with database.write() as session:
        if meeting is not None:
            target = imports.import_target(session, meeting=session.get(Meeting, meeting.id))
        else:
            target = imports.import_target(session, programme=programme_named(session, programme))
        return imports.apply_import(session, table, target, actor="clerk", **options)


def preview(database, path: Path, *, programme: str = "Transport"):
    table = read_table(path)
    with database.read() as session:
        target = imports.import_target(session, programme=programme_named(session, programme))
        return imports.plan_import(session, table, target)


def stored(database) -> list[Idea]:
    with database.read() as session:
        ideas = list(session.exec(select(Idea).order_by(col(Idea.seq))))
        for idea in ideas:
            session.expunge(idea)
        return ideas


@pytest.fixture
def transport(any_database):
    with any_database.write() as session:
        meeting = new_meeting(session, "East", "Transport", code="eastcode23")
        meeting.topics = json.dumps(["Buses", "Cycling"])
    return meeting


def test_a_file_of_ideas_goes_into_the_programmes_intake_record(
    any_database, transport, tmp_path
) -> None:
    path = write(
        tmp_path / "emails.csv",
        HEADING + "Evening buses,After 8pm please,Ana Núñez,Carer,,buses,late; night,Access,E-1\n"
        "Bike racks,,,Frontline staff,Online,Cycling,,,E-2\n",
    )
    result = do_import(any_database, path)
    assert result.refs == ["I-0001", "I-0002"]
    assert result.meeting.kind == MeetingKind.INTAKE
    assert result.meeting.code.startswith("intake-")
    ideas = stored(any_database)
    assert [(i.title, i.stakeholder, i.channel, i.topic) for i in ideas] == [
        ("Evening buses", "carer", "email", "Buses"),
        ("Bike racks", "frontline-staff", "online", "Cycling"),
    ]
    assert json.loads(ideas[0].tags) == ["late", "night"]
    assert json.loads(ideas[0].benefits) == ["access"]
    assert ideas[0].captured_by == "clerk" and ideas[0].agenda_item_id is None
    assert ideas[0].source_id == "E-1"
    with any_database.read() as session:
        events = session.exec(select(Event.kind).where(Event.meeting_id == result.meeting.id))
        kinds = list(events)
        # In the catalogue of the programme like every idea.
        programme = programme_named(session, "Transport")
        found = search_ideas(
            session,
            IdeaQuery(meeting_ids=programmes.programme_meeting_ids(session, programme)),
        )
    assert kinds.count("idea.captured") == 2 and "ideas.imported" in kinds
    assert sorted(idea.title for idea, _ in found) == ["Bike racks", "Evening buses"]

    # A second file goes into the same record, numbered on.
    more = write(tmp_path / "more.csv", "title\nThird idea\n")
    assert do_import(any_database, more).refs == ["I-0003"]
    with any_database.read() as session:
        kinds = session.exec(select(Meeting.kind).where(Meeting.kind == MeetingKind.INTAKE))
        assert len(list(kinds)) == 1


def test_every_refused_row_is_named_and_nothing_is_written(
    any_database, transport, tmp_path
) -> None:
    path = write(
        tmp_path / "bad.csv",
        HEADING + "Fine idea,,,,,,,,A\n"
        ",no title here,,,,,,,B\n"
        "Bad group,,,Carers and friends,,,,,C\n"
        "Bad channel,,,,Pigeon,,,,D\n"
        "Bad topic,,,,,Trains,,,E\n"
        "Bad benefit,,,,,,,speed,F\n"
        "Twice,,,,,,,,A\n"
        f"{'x' * 121},,,,,,,,G\n",
    )
    plan = preview(any_database, path)
    got = {(r.line, r.column) for r in plan.refusals}
    assert got == {
        (3, "title"),
        (4, "stakeholder"),
        (5, "channel"),
        (6, "topic"),
        (7, "benefits"),
        (8, "source_id"),
        (9, "title"),
    }
    reasons = {r.line: r.reason for r in plan.refusals}
    assert reasons[3] == "Enter a title for your idea"
    assert (
        "'Carers and friends' is not one of: Resident, Patient or service user, Carer"
        in (reasons[4])
    )
    assert "Email or letter" in reasons[5]
    assert "Topics: Buses, Cycling" in reasons[6]
    assert "'A' is also on row 2" in reasons[8]
    assert "120 characters or fewer" in reasons[9]
    assert [row.line for row in plan.new] == [2]
    with pytest.raises(ImportRefused) as refused:
        do_import(any_database, path)
    assert len(refused.value.plan.refusals) == 7
    assert stored(any_database) == []
    with any_database.read() as session:  # not even the intake record was made
        assert session.exec(select(func.count()).select_from(Meeting)).one() == 1


def test_reimport_changes_nothing_and_a_changed_row_is_reported(
    any_database, transport, tmp_path
) -> None:
    path = write(tmp_path / "f.csv", HEADING + "One,,,,,,,,F-1\nTwo,,,,,,,,F-2\n")
    do_import(any_database, path)
    before = [(i.id, i.ref, i.title, i.updated_at) for i in stored(any_database)]
    again = do_import(any_database, path)
    assert again.refs == [] and [line for line, _ in again.plan.unchanged] == [2, 3]
    changed = write(
        tmp_path / "f.csv", HEADING + "One,,,,,,,,F-1\nTwo edited,,,,,,,,F-2\nNew,,,,,,,,F-3\n"
    )
    plan = do_import(any_database, changed).plan
    assert plan.differs == [(3, plan.differs[0][1], ["title"])]
    assert plan.differs[0][1].endswith("/I-0002")
    after = stored(any_database)
    assert [(i.id, i.ref, i.title, i.updated_at) for i in after[:2]] == before
    assert [i.title for i in after] == ["One", "Two", "New"]

    # Source ids are the programme's: the same id in another programme is another idea.
    with any_database.write() as session:
        new_meeting(session, "North", "Health", code="northcode2")
    do_import(any_database, path, programme="Health")
    assert len(stored(any_database)) == 6


def test_words_are_stored_as_typed(any_database, transport, tmp_path) -> None:
    words = [
        "=SUM(A1:A9)",
        "+44 20 7946 0000",
        "-minus first",
        "@everyone",
        "Café for carers 👩‍⚕️ in Łódź",
        "عربى and 中文",
    ]
    lines = "".join(f'"{w}","détail «{w}»",,,,,,,\n' for w in words)
    do_import(any_database, write(tmp_path / "w.csv", HEADING + lines))
    ideas = stored(any_database)
    assert [i.title for i in ideas] == words
    assert ideas[4].detail == "détail «Café for carers 👩‍⚕️ in Łódź»"


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("utf8.csv", "utf-8", ","),
        ("bom.csv", "utf-8-sig", ","),
        ("excel.csv", "cp1252", ";"),
        ("unicode.csv", "utf-16", "\t"),
    ],
)
def test_encodings_and_delimiters_that_spreadsheets_write(
    tmp_path, name, encoding, delimiter
) -> None:
    text = delimiter.join(["Title", "Raised by", "Stakeholder"]) + "\r\n"
    text += delimiter.join(["Café, near the clinic", "José", "Résident"]) + "\r\n"
    if delimiter == ",":
        text = text.replace("Café, near the clinic", '"Café, near the clinic"')
    table = read_table(write(tmp_path / name, text, encoding))
    plan = imports.check_rows(table, topics=[], default_channel="email")
    assert plan.refusals == []
    (row,) = plan.new
    assert (row.data.title, row.data.raised_by, row.data.stakeholder) == (
        "Café, near the clinic",
        "José",
        "resident",
    )
    guessed = [w for w in table.warnings if "Windows-1252" in w]
    assert bool(guessed) == (encoding == "cp1252")


def test_garbled_text_is_refused_not_stored(tmp_path) -> None:
    # UTF-8 read once as Windows-1252 and saved again: "CafÃ©".
    garbled = "title\n" + "Café near the clinic".encode().decode("cp1252") + "\n"
    table = read_table(write(tmp_path / "g.csv", garbled))
    plan = imports.check_rows(table, topics=[], default_channel="email")
    (refusal,) = plan.refusals
    assert (refusal.line, refusal.column) == (2, "title")
    assert "garbled" in refusal.reason and "CSV UTF-8" in refusal.reason


def test_files_that_cannot_be_imported_say_why(tmp_path) -> None:
    cases = {
        "notes.txt": ("x", "reads .csv and .xlsx"),
        "old.xls": ("x", "save it as .xlsx or CSV"),
        "empty.csv": ("", "is empty"),
        "typo.csv": ("title,stakholder\nA,resident\n", "unknown column 'stakholder' (column B)"),
        "notitle.csv": ("detail\nsomething\n", "there is no title column"),
        "fake.xlsx": ("not a zip", "is not an Excel workbook"),
        "binary.csv": ("title\nA\x00B\n", "binary data"),
        "quote.csv": ('title\n"open quote\n' + "x" * 200_000 + "\n", "line"),
    }
    for name, (text, expected) in cases.items():
        with pytest.raises(ImportFileError) as refused:
            read_table(write(tmp_path / name, text))
        assert expected in str(refused.value), name
        assert name in str(refused.value)
    with pytest.raises(ImportFileError, match="no such file"):
        read_table(tmp_path / "missing.csv")


def test_size_and_row_limits(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    with pytest.raises(ImportFileError, match="more than 3 rows"):
        read_table(write(tmp_path / "long.csv", "title\n" + "idea\n" * 4))
    assert len(read_table(write(tmp_path / "ok.csv", "title\n" + "idea\n" * 3)).rows) == 3
    monkeypatch.setattr(imports, "MAX_FILE_BYTES", 100)
    with pytest.raises(
        ImportFileError,
        match="at most 0 MB|split it",
    ) as refused:
        read_table(write(tmp_path / "big.csv", "title\n" + "x" * 200 + "\n"))
    assert "Split it into several files" in str(refused.value)


def test_values_by_label_or_value_and_dates(tmp_path) -> None:
    path = write(
        tmp_path / "v.csv",
        "TITLE, Publish Name ,SCALE,Channel,Captured at,Stakeholder Group\n"
        "A,yes,Quick win,letter,2026-11-03 14:05,PATIENT OR SERVICE USER\n"
        "B,No,major-change,Written card,2026-11-03,voluntary\n"
        "C,perhaps,small,fax,03/11/2026,\n"
        "D,,,,2999-01-01,\n",
    )
    table = read_table(path)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    plan = imports.check_rows(
        table, topics=[], default_channel="email", timezone="Europe/London", now=now
    )
    a, b = plan.new
    assert (a.data.scale, a.data.channel, a.data.stakeholder) == ("quick-win", "email", "patient")
    assert a.data.publish_name is False  # consent without a name is no consent to anything
    assert a.captured_at == datetime(2026, 11, 3, 14, 5, tzinfo=UTC)  # London is UTC in November
    assert (b.data.scale, b.data.channel, b.data.stakeholder) == (
        "major-change",
        "card",
        "voluntary",
    )
    assert {(r.line, r.column) for r in plan.refusals} == {
        (4, "publish_name"),
        (4, "scale"),
        (4, "channel"),
        (4, "captured_at"),
        (5, "captured_at"),
    }
    reasons = {(r.line, r.column): r.reason for r in plan.refusals}
    assert "2026-11-03 14:05" in reasons[(4, "captured_at")]
    assert "in the future" in reasons[(5, "captured_at")]


def test_xlsx_template_round_trip(any_database, transport, tmp_path) -> None:
    from openpyxl import load_workbook

    template = tmp_path / "template.xlsx"
    write_template(template, topics=["Buses", "Cycling"])
    book = load_workbook(template)
    ideas, values = book["Ideas"], book["Allowed values"]
    heading = [cell.value for cell in ideas[1]]
    assert heading == list(imports.COLUMN_NAMES)
    listed = {row[2] for row in values.iter_rows(min_row=2, values_only=True) if row[2]}
    assert {"Carer", "Email or letter", "Quick win", "Equity", "Buses"} <= listed
    lists = {str(v.sqref): v.formula1 for v in ideas.data_validations.dataValidation}
    assert any("Allowed values" in formula for formula in lists.values())
    assert any(ref.startswith("F2") for ref in lists)  # stakeholder, column F
    # Filled in as a person would (a formula-looking title, a real date cell), read back.
    ideas.append(
        [
            "=1+2",
            "détail 🚲",
            "Zoë",
            "",
            "yes",
            "Carer",
            "Online",
            "Cycling",
            "a; b",
            "Quick win",
            "Access, Equity",
            "riders",
            datetime(2026, 11, 3, 9, 30),
            17,
        ]
    )
    book.save(template)
    result = do_import(any_database, template)
    (idea,) = stored(any_database)
    assert result.refs == ["I-0001"]
    assert (idea.title, idea.detail, idea.raised_by, idea.publish_name) == (
        "=1+2",
        "détail 🚲",
        "Zoë",
        True,
    )
    assert (idea.stakeholder, idea.channel, idea.topic, idea.scale) == (
        "carer",
        "online",
        "Cycling",
        "quick-win",
    )
    assert json.loads(idea.benefits) == ["access", "equity"]
    assert idea.source_id == "17"
    assert do_import(any_database, template).refs == []  # by its source id


def test_csv_template_is_one_heading_row(tmp_path) -> None:
    template = tmp_path / "t.csv"
    write_template(template)
    assert template.read_bytes().startswith(b"\xef\xbb\xbf")
    table = read_table(template)
    assert table.columns == list(imports.COLUMN_NAMES) and table.rows == []


def test_into_a_meeting_uses_its_topics_and_card_by_default(
    any_database, transport, tmp_path
) -> None:
    path = write(tmp_path / "cards.csv", "title,topic\nA,buses\nB,\n")
    result = do_import(any_database, path, meeting=transport)
    assert result.meeting.id == transport.id
    assert [(i.channel, i.topic) for i in stored(any_database)] == [("card", "Buses"), ("card", "")]
    assert [
        r for r in do_import(any_database, path, meeting=transport, default_channel="online").refs
    ]


def test_intake_record_is_not_on_the_phone_web(any_database, transport, tmp_path) -> None:
    result = do_import(any_database, write(tmp_path / "a.csv", "title\nA\n"))
    with any_database.read() as session:
        with pytest.raises(NotFound, match="No meeting with that code"):
            find_public_meeting(session, result.meeting.code)
        meeting = session.get(Meeting, result.meeting.id)
        with pytest.raises(intake.NotAMeeting, match="cannot be run"):
            intake.require_held_meeting(meeting, action="run")
        assert intake.meeting_state(meeting) == "intake"
        assert find_public_meeting(session, "eastcode23").id == transport.id


def test_a_large_import_is_in_the_search_index_and_the_trigger_stays(
    any_database, transport, tmp_path
) -> None:
    lines = "".join(
        f"Idea {n},detail {n} {'zebra Łódź' if n == 240 else 'plain'},,,,,,,S-{n}\n"
        for n in range(300)
    )
    do_import(any_database, write(tmp_path / "big.csv", HEADING + lines))
    with any_database.write() as session:
        found = search_ideas(session, IdeaQuery(text="zebra"))
        assert [idea.title for idea, _ in found] == ["Idea 240"]
        # filled in bulk as the trigger fills it: letters of their own spelt apart (0020)
        found = search_ideas(session, IdeaQuery(text="lodz"))
        assert [idea.title for idea, _ in found] == ["Idea 240"]
        from meetingtui.domain.ideas import IdeaInput, capture_idea

        capture_idea(session, meeting_id=transport.id, data=IdeaInput(title="Giraffe crossing"))
    with any_database.read() as session:
        assert [i.title for i, _ in search_ideas(session, IdeaQuery(text="giraffe"))] == [
            "Giraffe crossing"
        ]
        assert len(search_ideas(session, IdeaQuery(text="plain"))) == 299


def test_spreadsheet_row_numbers_survive_gaps_and_blank_rows_above(tmp_path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet["A3"], sheet["B3"] = "Title", "Stakeholder"  # a blank row or two above the heading
    sheet["A4"], sheet["B4"] = "Fine", "resident"
    sheet["A7"], sheet["B7"] = "Bad", "aliens"  # rows 5 and 6 missing from the file
    sheet["B20"].number_format = "0.00"  # formatted, empty: not a row of ideas
    path = tmp_path / "gaps.xlsx"
    book.save(path)
    table = read_table(path)
    plan = imports.check_rows(table, topics=[], default_channel="email")
    assert [row.line for row in plan.new] == [4]
    assert [(r.line, r.column) for r in plan.refusals] == [(7, "stakeholder")]
    csv_path = write(tmp_path / "blank.csv", "\n\ntitle\nA\n,\n\nB\n" + ",\n" * 60)
    assert [line for line, _ in read_table(csv_path).rows] == [4, 7]


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read(tmp_path) -> None:
    """A zip bomb: a few hundred KB of .xlsx that unpacks to gigabytes passes the 20 MB file
    limit; the sizes its parts unpack to are checked first."""
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"], book.active["A2"] = "Title", "Fine"
    path = tmp_path / "bomb.xlsx"
    book.save(path)
    assert len(read_table(path).rows) == 1
    zeros = b"\0" * 1_000_000
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zipped,
        zipped.open("xl/padding.xml", "w", force_zip64=True) as part,
    ):
        for _ in range(imports.MAX_XLSX_UNPACKED_BYTES // len(zeros) + 1):
            part.write(zeros)
    assert path.stat().st_size < imports.MAX_FILE_BYTES // 20
    with pytest.raises(ImportFileError) as refused:
        read_table(path)
    message = str(refused.value)
    assert message.startswith("bomb.xlsx unpacks to 101 MB") and "at most 100 MB" in message


def test_a_title_of_zero_width_characters_is_no_title(tmp_path) -> None:
    """A spreadsheet cell can hold a zero-width space or BOM that looks empty: it is blank, the
    same test (text.is_blank) as every form; an emoji title is kept as typed."""
    family = "\U0001f469\u200d\U0001f469\u200d\U0001f467"
    path = write(
        tmp_path / "zw.csv",
        "title,detail\n\u200b\u200d,looks empty\n\U0001f44d\U0001f3fd,thumbs\n"
        f"{family},joined\n\u200b,\ufeff\n",
    )
    table = read_table(path)
    assert [line for line, _ in table.rows] == [2, 3, 4]  # row 5 holds nothing at all
    plan = imports.check_rows(table, topics=[], default_channel="email")
    assert [(r.line, r.column, r.reason) for r in plan.refusals] == [
        (2, "title", "Enter a title for your idea")
    ]
    assert [row.data.title for row in plan.new] == ["\U0001f44d\U0001f3fd", family]
