"""Possible duplicates (domain/duplicates.py) on a real SQLite file and a fresh PostgreSQL:
the obvious duplicates are found (typos, plurals, accents, word order) and unrelated ideas are
not; clusters; dismissed pairs stay dismissed across runs and edits; merge; progress; cancel;
the blocked search finds exactly what comparing every pair finds."""

from __future__ import annotations

import random
import uuid
from itertools import combinations

import pytest
from sqlmodel import select

from meetingtui.domain import duplicates
from meetingtui.domain.errors import FieldErrors
from meetingtui.domain.ideas import IdeaInput, capture_idea, set_idea_deleted, update_idea
from meetingtui.domain.models import DuplicateDismissal, Event, Idea
from meetingtui.domain.moderation import set_visibility
from meetingtui.domain.programmes import find_programme, programme_meeting_ids
from meetingtui.domain.states import IdeaStatus
from tests.domain.test_lifecycle_answers import new_meeting

TITLES = {
    "bench": "More benches in the park",
    "bench2": "Park bench",  # plural, word order
    "bench4": "Benches by the river in the park",  # close: only at a looser threshold
    "bench3": "The park needs more benches",  # word order, stop words
    "pave": "Repair the pavement on High Street",
    "pave2": "Repair the pavment on high street!",  # a typing slip, case, punctuation
    "cafe": "Café at the station",
    "cafe2": "cafe at the STATION",  # accents
    "bus": "Night buses after midnight",
    "bus2": "Night bus after midnight",  # plural
    "other": "Free parking for carers",
    "other2": "Longer library opening hours",
    "other3": "Bus shelter at the station",  # shares words with two clusters, matches neither
}


@pytest.fixture
def catalogue(any_database):
    """Programme "Transport" over two meetings (ideas alternate), and another programme."""
    database = any_database
    with database.write() as session:
        east = new_meeting(session, "East", "Transport", code="eastcode23")
        west = new_meeting(session, "West", "Transport", code="westcode23")
        elsewhere = new_meeting(session, "Else", "Housing", code="elsecode23")
        ids = {}
        for n, (key, title) in enumerate(TITLES.items()):
            meeting = east if n % 2 == 0 else west
            ids[key] = capture_idea(
                session, meeting_id=meeting.id, data=IdeaInput(title=title, channel="phone")
            ).id
        ids["elsewhere"] = capture_idea(
            session, meeting_id=elsewhere.id, data=IdeaInput(title="More benches in the park")
        ).id
    return database, ids


def search(database, **options):
    with database.read() as session:
        meeting_ids = programme_meeting_ids(session, find_programme(session, "Transport"))
        return duplicates.find_duplicates(session, meeting_ids, **options)


def clusters_by_key(report, ids):
    names = {value: key for key, value in ids.items()}
    return sorted(sorted(names[idea.id] for idea in cluster.ideas) for cluster in report.clusters)


def test_the_obvious_duplicates_are_found_and_unrelated_ideas_are_not(catalogue) -> None:
    database, ids = catalogue
    report = search(database)
    assert clusters_by_key(report, ids) == [
        ["bench", "bench2", "bench3"],
        ["bus", "bus2"],
        ["cafe", "cafe2"],
        ["pave", "pave2"],
    ]
    pave = next(
        c for c in report.clusters if {i.id for i in c.ideas} == {ids["pave"], ids["pave2"]}
    )
    (pair,) = pave.pairs
    assert pair.word_score == 1.0 and 0 < pair.trigram_score < 1 and pair.score >= 0.75
    assert "pavement≈pavment" in pair.shared or "pavment≈pavement" in pair.shared
    assert {"repair", "high", "street"} <= set(pair.shared)
    # Another programme's identical idea is not in this one's catalogue.
    assert all(ids["elsewhere"] not in {i.id for i in c.ideas} for c in report.clusters)


def test_a_looser_threshold_makes_bigger_clusters_and_a_bad_one_is_refused(catalogue) -> None:
    database, ids = catalogue
    loose = search(database, threshold=0.5)
    assert ["bench", "bench2", "bench3", "bench4"] in clusters_by_key(loose, ids)
    biggest = loose.clusters[0]  # largest first
    assert len(biggest.ideas) == max(len(c.ideas) for c in loose.clusters)
    assert len(biggest.pairs) >= 2
    with pytest.raises(FieldErrors) as refused:
        search(database, threshold=0.2)
    assert "threshold" in refused.value.errors


def test_deleted_and_merged_ideas_are_skipped_hidden_ones_marked(catalogue) -> None:
    database, ids = catalogue
    with database.write() as session:
        bus = session.get(Idea, ids["bus"])
        set_idea_deleted(session, meeting_id=bus.meeting_id, idea_id=bus.id, deleted=True)
        cafe = session.get(Idea, ids["cafe"])
        set_visibility(
            session,
            meeting_id=cafe.meeting_id,
            entity="idea",
            entity_id=cafe.id,
            visibility="hidden",
        )
        duplicates.merge_duplicates(session, [ids["pave2"]], ids["pave"], "Priya")
    report = search(database)
    assert clusters_by_key(report, ids) == [["bench", "bench2", "bench3"], ["cafe", "cafe2"]]
    marks = {i.id: i.visibility for c in report.clusters for i in c.ideas}
    assert marks[ids["cafe"]] == "hidden" and marks[ids["cafe2"]] == "visible"


def test_dismissed_pairs_stay_dismissed_across_runs_and_edits(catalogue) -> None:
    database, ids = catalogue
    with database.write() as session:
        made = duplicates.dismiss_pairs(
            session, [(ids["cafe2"], ids["cafe"])], actor="Priya", reason="Two different cafés"
        )
        again = duplicates.dismiss_pairs(session, [(ids["cafe"], ids["cafe2"])], actor="Tom")
    assert (made, again) == (1, 0)
    report = search(database)
    assert ["cafe", "cafe2"] not in clusters_by_key(report, ids)
    assert report.dismissed_skipped == 1
    with database.write() as session:
        cafe = session.get(Idea, ids["cafe"])
        update_idea(
            session,
            meeting_id=cafe.meeting_id,
            idea_id=cafe.id,
            changes={"title": "Café at the railway station"},
        )
    assert ["cafe", "cafe2"] not in clusters_by_key(search(database, threshold=0.5), ids)
    with database.read() as session:
        (row,) = session.exec(select(DuplicateDismissal)).all()
        assert (row.idea_a_id, row.idea_b_id) == duplicates.ordered_pair(ids["cafe"], ids["cafe2"])
        assert (row.dismissed_by, row.reason) == ("Priya", "Two different cafés")
        events = session.exec(select(Event).where(Event.kind == "duplicates.dismissed")).all()
        assert len(events) == 1 and events[0].actor == "Priya"
    with database.write() as session:
        assert duplicates.undismiss_pair(session, ids["cafe"], ids["cafe2"], actor="Priya")
        assert not duplicates.undismiss_pair(session, ids["cafe"], ids["cafe2"], actor="Priya")
    assert ["cafe", "cafe2"] in clusters_by_key(search(database, threshold=0.5), ids)


def test_merge_from_the_view_keeps_both_and_drops_the_cluster(catalogue) -> None:
    database, ids = catalogue
    with database.write() as session:
        duplicates.merge_duplicates(session, [ids["bench"], ids["bench3"]], ids["bench3"], "Ana")
    with database.read() as session:
        source, target = session.get(Idea, ids["bench"]), session.get(Idea, ids["bench3"])
        assert source.status == IdeaStatus.MERGED and source.merged_into_id == target.id
        assert target.status == IdeaStatus.NEW and source.deleted_at is None
    assert clusters_by_key(search(database), ids)[0] == ["bench2", "bench3"]
    with database.write() as session, pytest.raises(FieldErrors):
        duplicates.merge_duplicates(session, [ids["bus"]], ids["bus"], "Ana")


def test_progress_is_reported_and_a_search_can_be_stopped(catalogue) -> None:
    database, _ids = catalogue
    heard: list[tuple[float, str]] = []
    search(database, progress=lambda fraction, doing: heard.append((fraction, doing)))
    fractions = [f for f, _ in heard]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0 and fractions == sorted(fractions)
    assert any("Reading" in doing for _, doing in heard)
    with pytest.raises(duplicates.SearchCancelled):
        search(database, cancelled=lambda: True)


def test_the_without_view_regroups_after_a_dismissal(catalogue) -> None:
    database, ids = catalogue
    loose = search(database, threshold=0.5)
    cluster = next(c for c in loose.clusters if len(c.ideas) >= 3)
    pair = cluster.pairs[0]
    after = duplicates.without(loose, pairs=[(pair.a.id, pair.b.id)])
    left = {duplicates.ordered_pair(p.a.id, p.b.id) for c in after.clusters for p in c.pairs}
    assert duplicates.ordered_pair(pair.a.id, pair.b.id) not in left
    assert after.pair_count == loose.pair_count - 1


def test_words_are_folded_stemmed_and_slips_forgiven() -> None:
    plurals = ("benches", "buses", "cities", "homes", "access", "bus")
    assert [duplicates.stem(w) for w in plurals] == [
        "bench", "bus", "city", "home", "access", "bus",
    ]  # fmt: skip
    assert duplicates.one_slip("pavement", "pavment") and duplicates.one_slip("centre", "center")
    assert not duplicates.one_slip("pavement", "payments")
    groups = duplicates.typo_groups(["pavement", "pavment", "night", "light"], {"pavement": 3})
    assert groups["pavment"] == "pavement" and groups["night"] != groups["light"]


def test_the_blocked_search_finds_exactly_what_all_pairs_find() -> None:
    rng = random.Random(7)
    vocabulary = "bus buses bench park café cafe station night lane parking pavement pavment"
    vocabulary = vocabulary.split()
    titles = [" ".join(rng.sample(vocabulary, rng.randint(1, 5))) for _ in range(300)]
    for threshold in (0.5, 0.75, 0.9):
        found = {(p.first, p.second) for p in duplicates.similar_pairs(titles, threshold=threshold)}
        every = set()
        for a, b in combinations(range(len(titles)), 2):
            pairs = duplicates.similar_pairs([titles[a], titles[b]], threshold=threshold)
            if pairs:
                every.add((a, b))
        # A pair's words are grouped over the whole list in the search, over two titles here:
        # the same for this vocabulary (its slips pair up the same way).
        assert found == every, threshold


def campaign_ideas(titles):
    """Ideas as the search reads them, without a database: a campaign's thousands of copies."""
    return [
        duplicates.DuplicateIdea(
            uuid.uuid4(), f"I-{n:04d}", "campcode23", title, "web", "Park", 0, "visible"
        )
        for n, title in enumerate(titles, 1)
    ]


def cluster_report(ideas, dismissed=frozenset(), threshold=0.75):
    figures = duplicates.SearchFigures()
    found = duplicates.search_titles(
        [idea.title for idea in ideas], threshold=threshold, figures=figures
    )
    return duplicates.group_pairs(ideas, found, set(dismissed), threshold, figures)


def test_a_campaign_of_identical_titles_is_one_cluster_not_every_pair() -> None:
    titles = ["Save Elm Park from the car park"] * 2000
    titles += ["Save elm park from the car parks!", "Save Elm Park car park now"]
    titles += ["Longer library opening hours"] * 3
    ideas = campaign_ideas(titles)
    report = cluster_report(ideas)
    big, small = report.clusters
    assert len(big.ideas) == 2002 and len(small.ideas) == 3
    # 2,000 copies are one group compared once: pairs listed grow with the ideas, never n².
    assert report.figures.candidates < 10 and len(big.pairs) < 2 * len(big.ideas)
    assert len(small.pairs) == 3  # a small cluster lists every pair
    assert {idea.id for p in big.pairs for idea in (p.a, p.b)} == {i.id for i in big.ideas}
    # similar_pairs (for checks) still says every pair is one: 3 + the campaign's and variants'.
    assert len(duplicates.similar_pairs(titles[:50] + titles[-3:])) == 50 * 49 // 2 + 3


def test_a_campaign_member_can_be_dismissed_and_a_dismissed_pair_stays_dismissed() -> None:
    titles = ["Save Elm Park from the car park"] * 300 + ["Save Elm Park from car parks"]
    ideas = campaign_ideas(titles)
    (cluster,) = cluster_report(ideas).clusters
    assert len(cluster.ideas) == 301
    one, two, three = ideas[0], ideas[1], ideas[-1]
    # One pair dismissed: both ideas stay (they match everyone else), that pair never listed.
    report = cluster_report(ideas, {duplicates.ordered_pair(one.id, two.id)})
    (cluster,) = report.clusters
    listed = {duplicates.ordered_pair(p.a.id, p.b.id) for p in cluster.pairs}
    assert len(cluster.ideas) == 301 and duplicates.ordered_pair(one.id, two.id) not in listed
    assert report.dismissed_skipped == 1
    # A member taken out: every pair of it dismissed; the rest stay one cluster, in the view
    # at once (without) and in the next search, whichever idea had joined the others.
    for member in (one, three):
        pairs = duplicates.dismissals_for(cluster, member.id)
        assert len(pairs) == 300
        for after in (
            duplicates.without(report, pairs=pairs),
            cluster_report(ideas, report.dismissed | {duplicates.ordered_pair(*p) for p in pairs}),
        ):
            (left,) = after.clusters
            assert len(left.ideas) == 300 and member.id not in {i.id for i in left.ideas}
            shown = {duplicates.ordered_pair(p.a.id, p.b.id) for p in left.pairs}
            assert duplicates.ordered_pair(one.id, two.id) not in shown
    # A whole cluster is every pair of it: refused when it is a campaign (merge it instead).
    with pytest.raises(FieldErrors, match="Merge it"):
        duplicates.dismissals_for(cluster)
    small = cluster_report(ideas[:4]).clusters[0]
    assert len(duplicates.dismissals_for(small)) == 6
    assert cluster_report(ideas[:4], duplicates.dismissals_for(small)).clusters == ()


def test_identical_titles_in_the_catalogue_are_one_cluster_and_members_leave_it(catalogue):
    database, ids = catalogue
    with database.write() as session:
        meeting = session.get(Idea, ids["bus"]).meeting_id
        copies = [
            capture_idea(
                session, meeting_id=meeting, data=IdeaInput(title="Night buses after midnight")
            ).id
            for _ in range(12)
        ]
    (bus,) = [c for c in search(database).clusters if ids["bus"] in {i.id for i in c.ideas}]
    assert len(bus.ideas) == 14 and len(bus.pairs) < 14 * 13 // 2
    with database.write() as session:
        duplicates.dismiss_pairs(session, duplicates.dismissals_for(bus, copies[0]), actor="Ana")
    (bus,) = [c for c in search(database).clusters if ids["bus"] in {i.id for i in c.ideas}]
    assert len(bus.ideas) == 13 and copies[0] not in {i.id for i in bus.ideas}
