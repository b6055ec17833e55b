"""Search (issue 5): every query form, every filter and facet, folding of accents and of the
sellers' obfuscation, snippets, syntax errors and hostile queries, and the index kept up to date
by incremental updates (after new messages and after an edit) as a rebuild would make it.

Two workspaces: a small one whose messages are written here (so that each expectation can be
read off the message list), and the sample workspace (samples/telegram), for real adverts.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timezone

import pytest

from conftest import message, telegram_export, write_json
from recoupe.errors import RecoupeError
from recoupe.imports import import_paths
from recoupe.search import (FACETS, IndexMissing, SearchSyntaxError, count_terms, iter_all_hits,
                            pending, rebuild, search, update)
from recoupe.workspace import open_workspace

DAY = 86_400
T0 = 1_795_000_000  # 2026-11-18 11:06:40 UTC (message() adds a minute per message id)

CHANNEL = [  # (message id, text); message n is posted on day n - 1
    (1, "RÉVEILLON : livraison offerte ce soir"),
    (2, "Menu de Noël 🎄 beuh 10g = 60€"),
    (3, "🍃 dispo tout de suite"),
    (4, "La c0ke est arrivée, qualité top, le G à 70"),
    (5, "Livraison rapide sur Aubagne"),
    (6, "livraison lente sur Marseille"),
    (7, "Calendrier de l'avent, jour 3 : livraison express"),
    (8, "On recrute un livreur, 100€/jour"),
    (9, "Black Friday : -20 % sur tout le menu"),
    (10, "Kétamine disponible ce soir"),
]
GROUP = [  # (message id, author, text)
    (1, "Karim", "fast delivery of weed, available now, message me"),
    (2, "Léa", "Contact @plug_marseille pour commander"),
    (3, "Karim", "qui a de la beuh à Aubagne ?"),
]


def _channel(messages=CHANNEL) -> dict:
    return telegram_export([message(mid, text, unix=T0 + (mid - 1) * DAY)
                            for mid, text in messages])


def _group() -> dict:
    msgs = [message(mid, text, unix=T0 + 20 * DAY, **{"from": who, "from_id": f"user{who}"})
            for mid, who, text in GROUP]
    return telegram_export(msgs, name="Groupe Test", chat_id=777, chat_type="private_group")


def _build(root, tmp_path, *exports) -> None:
    files = [write_json(tmp_path / f"export-{i}.json", e) for i, e in enumerate(exports)]
    with open_workspace(root, create=True) as ws:
        assert all(r.status == "ingested" for r in import_paths(ws, files, user="tester"))
        update(ws)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The small workspace, indexed; open read-only for the tests of this module."""
    tmp = tmp_path_factory.mktemp("small")
    _build(tmp / "ws", tmp, _channel(), _group())
    with open_workspace(tmp / "ws", read_only=True) as ws:
        yield ws


@pytest.fixture(scope="module")
def sample(sample_ws, tmp_path_factory):
    """A copy of the sample workspace, indexed."""
    root = tmp_path_factory.mktemp("sample-search") / "ws"
    shutil.copytree(sample_ws, root)
    with open_workspace(root) as ws:
        rebuild(ws)
    with open_workspace(root, read_only=True) as ws:
        yield ws


def found(ws, query, **kwargs) -> set:
    """(chat, message id) of every hit."""
    result = search(ws, query, limit=1000, facets=False, **kwargs)
    hits = {(h.chat, h.message_id) for h in result.hits}
    assert len(hits) == result.total
    return hits


def ch(*ids) -> set:
    return {("Canal Test", i) for i in ids}


def gr(*ids) -> set:
    return {("Groupe Test", i) for i in ids}


# -- query forms ----------------------------------------------------------------------------

def test_every_word_must_match(small):
    """Words are ANDed: "livraison ce soir" needs all three."""
    assert found(small, "livraison") == ch(1, 5, 6, 7)
    assert found(small, "livraison ce soir") == ch(1)
    assert found(small, "livraison AND rapide") == ch(5)


def test_accents_and_case_are_folded_both_ways(small):
    """"reveillon" finds "RÉVEILLON", "NOËL" finds "Noël", "ketamine" finds "Kétamine"."""
    assert found(small, "reveillon") == ch(1)
    assert found(small, "Réveillon") == ch(1)
    assert found(small, "NOËL") == ch(2)
    assert found(small, "noel") == ch(2)
    assert found(small, "ketamine") == ch(10)


def test_obfuscation_is_folded(small):
    """"c0ke" and "C.O.K.E" in a query, like "c0ke" in a post, read "coke"."""
    assert ch(4) <= found(small, "coke")
    assert ch(4) <= found(small, "c0ke")
    assert ch(4) <= found(small, "C.O.K.E")


def test_a_substance_name_finds_the_posts_using_its_emoji_code(small):
    """"beuh" finds message 3, which only has 🍃; in quotes it is searched as written. The
    snippet marks the emoji."""
    assert found(small, "beuh") == ch(2, 3) | gr(1, 3)  # 'weed' is herb too
    assert found(small, '"beuh"') == ch(2) | gr(3)
    [hit] = [h for h in search(small, "beuh").hits if h.message_id == 3 and h.chat == "Canal Test"]
    s = hit.snippet
    assert [s.text[a:b] for a, b in s.highlights] == ["🍃"]
    assert found(small, "🍃") == found(small, "beuh")


def test_a_word_ranked_above_a_post_found_only_through_its_substance(small):
    """Posts naming the word come before posts found through the substance alone."""
    ranked = [(h.chat, h.message_id) for h in search(small, "beuh").hits]
    assert set(ranked[:2]) == ch(2) | gr(3)


def test_exact_phrases(small):
    """"…" keeps the words together and in order; "…"~N lets them sit N apart."""
    assert found(small, '"calendrier de l\'avent"') == ch(7)
    assert found(small, '"l\'avent de calendrier"') == set()
    assert found(small, '"livraison offerte"') == ch(1)
    assert found(small, '"livraison soir"') == set()
    assert found(small, '"livraison soir"~2') == ch(1)


def test_or_and_grouping(small):
    """OR takes either side; parentheses group; a b OR c is a AND (b OR c). (A handle is cut
    into words: @plug_marseille has "marseille".)"""
    assert found(small, "aubagne OR marseille") == ch(5, 6) | gr(2, 3)
    assert found(small, "livraison aubagne OR marseille") == ch(5, 6)
    assert found(small, "(rapide OR lente) livraison") == ch(5, 6)


def test_exclusion(small):
    """-word and NOT word leave posts out; a query of exclusions alone starts from every post."""
    assert found(small, "livraison -aubagne") == ch(1, 6, 7)
    assert found(small, "livraison NOT aubagne -marseille") == ch(1, 7)
    assert found(small, '-"ce soir"') == ch(*range(2, 10)) | gr(1, 2, 3)


def test_prefix(small):
    """livr* finds livraison and livreur."""
    assert found(small, "livr*") == ch(1, 5, 6, 7, 8)
    assert found(small, "calendrier l'av*") == ch(7)


def test_fuzzy_matching_of_typos(small):
    """~ allows one edit, ~2 two; without ~ a typo finds nothing."""
    assert found(small, "kétamin") == set()
    assert found(small, "ketamin~") == ch(10)
    assert found(small, "katamine~") == ch(10)          # a substitution
    assert found(small, "ketmaine~") == ch(10)          # a swap counts as one edit
    assert found(small, "katamne~") == set()            # two edits
    assert found(small, "katamne~2") == ch(10)
    [hit] = search(small, "ketamin~").hits
    assert [hit.snippet.text[a:b] for a, b in hit.snippet.highlights] == ["Kétamine"]


def test_short_words_are_not_fuzzy_and_the_result_says_so(small):
    """"ce~" is searched exactly, with a note; "soi~2" gets one edit (finding "soir")."""
    r = search(small, "ce~")
    assert r.total == 2 and "searched exactly" in r.notes[0]
    r = search(small, "soi~2")
    assert "one edit" in r.notes[0]
    assert found(small, "soi~2") == ch(1, 10)


def test_fields_in_the_query(small):
    """chat:, author:, lang:, substance:, zone:, contact:, promotion:, recruitment:, field:*."""
    assert found(small, 'chat:"groupe test"') == gr(1, 2, 3)
    assert found(small, "chat:groupe beuh") == gr(1, 3)  # 'weed' is herb too
    assert found(small, "author:karim") == gr(1, 3)
    assert found(small, "author:LEA") == gr(2)
    assert found(small, "lang:en") == gr(1)
    assert found(small, "substance:cocaine") == ch(4)
    assert found(small, "substance:beuh") == found(small, "substance:cannabis-herb")
    assert found(small, "zone:aubagne") == ch(5) | gr(3)
    assert found(small, "zone:aub*") == ch(5) | gr(3)
    assert found(small, "contact:@plug_marseille") == gr(2)
    assert found(small, "promotion:black-friday") == ch(9)
    assert found(small, "recruitment:*") == ch(8)
    assert found(small, "platform:telegram") == found(small, "")
    assert found(small, "livraison -zone:*") == ch(1, 7)


# -- filters and facets ---------------------------------------------------------------------

def test_each_filter(small):
    """Every filter of the page narrows the hits as its name says."""
    assert found(small, "", filters={"chat": "Groupe Test"}) == gr(1, 2, 3)
    group_id = search(small, "author:lea").hits[0].chat_id
    assert found(small, "", filters={"chat": [group_id]}) == gr(1, 2, 3)
    assert found(small, "", filters={"platform": "telegram"}) == found(small, "")
    since = datetime.fromtimestamp(T0 + 3 * DAY, timezone.utc).replace(tzinfo=None)
    until = datetime.fromtimestamp(T0 + 5 * DAY, timezone.utc).replace(tzinfo=None)
    assert found(small, "", filters={"since": since, "until": until}) == ch(4, 5)
    assert found(small, "", filters={"lang": "en"}) == gr(1)
    assert found(small, "", filters={"author": ["Karim", "Léa"]}) == gr(1, 2, 3)
    assert found(small, "", filters={"substance": "cocaine"}) == ch(4)
    assert found(small, "", filters={"zone": "Marseille"}) == ch(6)
    assert found(small, "", filters={"contact": "telegram:@plug_marseille"}) == gr(2)
    assert found(small, "", filters={"unit_price_min": 50}) == ch(4)
    assert found(small, "", filters={"unit_price_max": 10}) == ch(2)
    assert found(small, "", filters={"unit_price_min": 5, "unit_price_max": 80}) == ch(2, 4)
    assert found(small, "", filters={"recruitment": True}) == ch(8)
    # promotions (promotions.toml): réveillon and livraison offerte (1), calendrier de l'avent
    # (7), black friday (9)
    assert found(small, "", filters={"promotion": True}) == ch(1, 7, 9)
    assert found(small, "", filters={"promotion": False}) == ch(2, 3, 4, 5, 6, 8, 10) | gr(1, 2, 3)
    assert found(small, "", filters={"promotion": "black-friday"}) == ch(9)
    assert found(small, "", filters={"tag": "suivi"}) == set()  # no tags yet


def test_a_bad_filter_says_what_is_wrong(small):
    """An unknown chat or filter, or a value of the wrong type, is a RecoupeError."""
    with pytest.raises(RecoupeError, match="No chat named"):
        search(small, "", filters={"chat": "Nulle Part"})
    with pytest.raises(RecoupeError, match="Unknown search filter"):
        search(small, "", filters={"colour": "red"})
    with pytest.raises(RecoupeError, match="datetime"):
        search(small, "", filters={"since": "yesterday"})


def test_facets_count_the_hits_under_the_query(small):
    """Counts of one-value facets add up to the total; each value's count is the total of the
    search filtered on it; a filtered facet still counts its other values."""
    r = search(small, "livraison OR beuh OR weed")
    assert r.total == 8  # Canal Test 1, 2, 3, 5, 6, 7; Groupe Test 1, 3
    assert set(r.facets) == set(FACETS)
    assert sum(v.count for v in r.facets["chat"]) == r.total
    assert sum(v.count for v in r.facets["platform"]) == r.total
    assert sum(v.count for v in r.facets["day"]) == r.total
    assert {v.label: v.count for v in r.facets["chat"]} == {"Canal Test": 6, "Groupe Test": 2}
    for facet, key in (("substance", "substance"), ("zone", "zone"), ("lang", "lang"),
                       ("author", "author")):
        for v in r.facets[facet]:
            assert search(small, r.query, filters={key: v.value}).total == v.count, (facet, v)
    narrowed = search(small, r.query, filters={"zone": "Aubagne"})
    assert narrowed.total == 2
    assert {v.value for v in narrowed.facets["zone"]} == {"Aubagne", "Marseille"}
    assert [v.value for v in r.facets["day"]] == sorted(v.value for v in r.facets["day"])


def test_price_band_facet(small):
    """Unit prices are counted in bands: 6 €/g and 70 €/g."""
    bands = {v.value: v.count for v in search(small, "").facets["price_band"]}
    assert bands == {"5-10": 1, "50-100": 1}


# -- results ----------------------------------------------------------------------------------

def test_hits_carry_what_the_page_shows(small):
    """Chat, author, time, platform, ids and the whole text, with a snippet of the original."""
    [hit] = search(small, "reveillon").hits
    assert (hit.chat, hit.message_id, hit.platform) == ("Canal Test", 1, "telegram")
    assert hit.author == "Canal Test"
    assert hit.posted_at == datetime.fromtimestamp(T0 + 60, timezone.utc).replace(tzinfo=None)
    assert hit.text == CHANNEL[0][1]
    s = hit.snippet
    assert [s.text[a:b] for a, b in s.highlights] == ["RÉVEILLON"]
    assert hit.score > 0


def test_snippet_of_a_long_text_is_a_window_around_the_match(tmp_path):
    """A long post gives a window that starts near the first match, cut on a space."""
    long_text = "début " + "bla " * 200 + "le RÉVEILLON arrive " + "bla " * 200
    _build(tmp_path / "ws", tmp_path, _channel([(1, long_text)]))
    with open_workspace(tmp_path / "ws", read_only=True) as ws:
        s = search(ws, "reveillon").hits[0].snippet
    assert s.cut_before and s.cut_after and len(s.text) <= 240
    assert [s.text[a:b] for a, b in s.highlights] == ["RÉVEILLON"]


def test_sort_by_time_and_paging(small):
    """Newest or oldest first; pages of 3 go through every hit once."""
    newest = [h.message_id for h in search(small, "-chat:groupe", sort="time").hits]
    assert newest == list(range(10, 0, -1))
    oldest = [h.message_id for h in search(small, "-chat:groupe", sort="time_asc").hits]
    assert oldest == list(range(1, 11))
    paged = []
    for offset in range(0, 13, 3):
        page = search(small, "", sort="time", offset=offset, limit=3, facets=False)
        assert page.total == 13
        paged += [(h.chat, h.message_id) for h in page.hits]
    assert len(paged) == 13 and set(paged) == found(small, "")
    assert all(h.score is None for h in search(small, "", sort="time").hits)


def test_count_terms_and_export_of_every_hit(small):
    """count_terms gives each query's total; iter_all_hits every hit, oldest first."""
    assert count_terms(small, ["livraison", "beuh", "zone:aubagne", "rien_de_tel"]) == {
        "livraison": 4, "beuh": 4, "zone:aubagne": 2, "rien_de_tel": 0}
    assert count_terms(small, ["livraison"], filters={"zone": "Aubagne"}) == {"livraison": 1}
    exported = list(iter_all_hits(small, "livr*"))
    assert [h.message_id for h in exported] == [1, 5, 6, 7, 8]
    assert exported[0].text == CHANNEL[0][1] and exported[0].snippet is None
    with pytest.raises(SearchSyntaxError, match="In '\\(oups'"):
        count_terms(small, ["ok", "(oups"])


# -- syntax errors and hostile input ----------------------------------------------------------

@pytest.mark.parametrize("query, says, position", [
    ('livraison "ce soir', "quote at character 11 is not closed", 11),
    ("(coke OR beuh", "parenthesis at character 1 is not closed", 1),
    ("coke OR beuh)", "parenthesis at character 13 closes nothing", 13),
    ("coke OR", "OR at character 6 has nothing after it", 6),
    ("OR coke", "OR at character 1 has nothing before it", 1),
    ("coke AND", "AND at character 6 has nothing after it", 6),
    ("coke NOT", "NOT at character 6 must be followed", 6),
    ("couleur:rouge", 'Unknown field "couleur:" at character 1', 1),
    ("zone:", "needs a value", 1),
    ("ketamine~3", "1 or 2 edits", 9),
    ("k*", "at least 2 characters", 1),
    ("()", "hold nothing", 1),
    ("substance:tartiflette", "knows no substance", 1),
    ("!!!", "no word to search for", 1),
])
def test_a_syntax_error_says_what_and_where(small, query, says, position):
    """Each malformed query raises SearchSyntaxError naming the problem and its place."""
    with pytest.raises(SearchSyntaxError) as err:
        search(small, query)
    assert says in str(err.value)
    assert err.value.position == position


@pytest.mark.parametrize("query", [
    "'; DROP TABLE items; --", "1 OR 1=1", "text:coke", "coke^10", "{a TO z}", "[a TO z]",
    "/c.*e/", "coke && beuh || !shit", "\\\\", "\x00\x01\x1b[31m", "a" * 999,
    "(" * 12 + "coke" + ")" * 12, "🍃" * 50, "مرسيليا", "https://t.me/plug", "«\u202ecoke»",
    'promotion:"black friday"*', "zone:[a.b*", "lang:f$*", "author:\\*", "contact:+33*",
])
def test_hostile_queries_never_crash(small, query):
    """SQL, another engine's syntax, control characters and long input: searched literally or a
    clear SearchSyntaxError, never another exception."""
    try:
        search(small, query)
    except SearchSyntaxError as exc:
        assert str(exc)


def test_limits_on_query_size(small):
    """Too long, too many words or too deeply nested: a clear message."""
    with pytest.raises(SearchSyntaxError, match="at most 1000"):
        search(small, "a" * 1001)
    with pytest.raises(SearchSyntaxError, match="more than 64 words"):
        search(small, " ".join(f"mot{i}" for i in range(65)))
    with pytest.raises(SearchSyntaxError, match="nested"):
        search(small, "(" * 13 + "coke" + ")" * 13)


# -- the sample workspace -------------------------------------------------------------------

def test_sample_adverts_found_despite_accents_and_obfuscation(sample):
    """Bons Plans 13 🔥: "COMMANDES DU RÉVEILLON" (67), "JOYEUX NOËL" (62), "c0ke" (33),
    "C.o.k.e" (58), "K3ta" (42), "fr4ppe" (21), as read in the export."""
    bons = "Bons Plans 13 🔥"
    assert (bons, 67) in found(sample, "reveillon")
    assert (bons, 62) in found(sample, "joyeux noel")
    assert {(bons, 33), (bons, 58)} <= found(sample, "coke")
    assert (bons, 42) in found(sample, "keta")
    assert (bons, 21) in found(sample, "frappe")
    assert (bons, 67) in found(sample, '"commandes du réveillon"')
    assert (bons, 21) in found(sample, '"livré en 25 min à aubagne"')


def test_sample_emoji_code_and_filters(sample):
    """"🍃🍫❄️💊 tout est dispo" (Bons Plans 13 🔥, 15) names no drug in words; "beuh" finds it
    through 🍃. The chat facet names the sample's chats."""
    assert ("Bons Plans 13 🔥", 15) in found(sample, "beuh dispo")
    assert ("Bons Plans 13 🔥", 15) not in found(sample, '"beuh" dispo')
    r = search(sample, "calendrier avent")
    labels = {v.label for v in r.facets["chat"]}
    assert {"Bons Plans 13 🔥", "Drive 13 Secours 🆘"} <= labels
    only = search(sample, "calendrier avent", filters={"chat": "Drive 13 Secours 🆘"})
    assert 0 < only.total < r.total and {h.chat for h in only.hits} == {"Drive 13 Secours 🆘"}


# -- keeping the index up to date -----------------------------------------------------------

def test_no_index_says_how_to_build_it(tmp_path):
    """A workspace without an index: IndexMissing, which names the reindex command."""
    root = tmp_path / "ws"
    write = write_json(tmp_path / "a.json", _channel(CHANNEL[:2]))
    with open_workspace(root, create=True) as ws:
        import_paths(ws, [write], user="tester", index=False)
        with pytest.raises(IndexMissing, match="python -m recoupe reindex"):
            search(ws, "noel")
        assert pending(ws) is None


def test_update_indexes_new_messages_only(tmp_path):
    """After an import adds messages, update indexes those alone; a second update does nothing."""
    root = tmp_path / "ws"
    _build(root, tmp_path, _channel(CHANNEL[:5]))
    later = write_json(tmp_path / "later.json", _channel(CHANNEL[5:]))
    with open_workspace(root) as ws:
        assert found(ws, "livraison") == ch(1, 5)
        import_paths(ws, [later], user="tester", index=False)
        assert pending(ws) == 5
        report = update(ws)
        assert (report.rebuilt, report.indexed, report.removed, report.documents) == (False, 5, 0, 10)
        assert found(ws, "livraison") == ch(1, 5, 6, 7)
        again = update(ws)
        assert (again.indexed, again.removed) == (0, 0) and pending(ws) == 0


def test_update_after_an_edit_searches_the_new_text(tmp_path):
    """A later export with an edited message: the new text is found, the old one no longer."""
    root = tmp_path / "ws"
    _build(root, tmp_path, _channel(CHANNEL[:3]))
    edited = telegram_export([message(3, "🍃 plus rien avant lundi", unix=T0 + 2 * DAY,
                                      edited="2026-11-21T10:00:00", edited_unixtime=str(T0 + 3 * DAY))])
    with open_workspace(root) as ws:
        assert found(ws, "dispo") == ch(3)
        import_paths(ws, [write_json(tmp_path / "edit.json", edited)], user="tester", index=False)
        report = update(ws)
        assert report.indexed == 1 and report.documents == 3
        assert found(ws, "dispo") == set()
        assert found(ws, "lundi") == ch(3)
        assert found(ws, "beuh lundi") == ch(3)  # its entities were extracted again


def test_rebuild_gives_what_the_updates_gave(tmp_path):
    """Three imports, each followed by an update, then a rebuild: the same hits and facets."""
    root = tmp_path / "ws"
    _build(root, tmp_path, _channel(CHANNEL[:4]))
    queries = ["livraison", "beuh", "c0ke OR zone:*", "", "-livraison", "author:karim",
               '"ce soir"', "livr*", "ketamin~"]
    with open_workspace(root) as ws:
        for i, export in enumerate((_channel(CHANNEL[4:]), _group())):
            import_paths(ws, [write_json(tmp_path / f"more-{i}.json", export)], user="tester")
            update(ws)
        incremental = {q: search(ws, q, limit=100) for q in queries}
        assert rebuild(ws).documents == 13
        for q in queries:
            fresh = search(ws, q, limit=100)
            assert fresh.total == incremental[q].total, q
            assert {h.id for h in fresh.hits} == {h.id for h in incremental[q].hits}, q
            assert fresh.facets == incremental[q].facets, q


def test_an_index_of_other_lexicons_is_searched_then_rebuilt(tmp_path):
    """After a lexicon change the old index still answers, saying it is stale; update rebuilds."""
    root = tmp_path / "ws"
    _build(root, tmp_path, _channel(CHANNEL[:4]))
    state = root / "search-index" / "state.json"
    state.write_text(state.read_text().replace('"lexicon_version": "', '"lexicon_version": "old-'))
    with open_workspace(root) as ws:
        r = search(ws, "noel")
        assert r.total == 1 and "reindex" in r.notes[-1]
        assert pending(ws) is None
        assert update(ws).rebuilt
        assert search(ws, "noel").notes == []


def test_a_deleted_index_is_rebuilt_by_update(tmp_path):
    """The index is derived: delete its folder and update makes it again."""
    root = tmp_path / "ws"
    _build(root, tmp_path, _channel(CHANNEL[:4]))
    shutil.rmtree(root / "search-index")
    with open_workspace(root) as ws:
        with pytest.raises(IndexMissing):
            search(ws, "noel")
        report = update(ws)
        assert report.rebuilt and report.documents == 4
        assert found(ws, "noel") == ch(2)


def test_an_import_updates_the_index_by_itself(tmp_path):
    """import_paths indexes what it added: searchable at once, nothing left pending."""
    root = tmp_path / "ws"
    _build(root, tmp_path, _channel(CHANNEL[:5]))
    with open_workspace(root) as ws:
        import_paths(ws, [write_json(tmp_path / "later.json", _channel(CHANNEL[5:]))], user="tester")
        assert pending(ws) == 0
        assert found(ws, "livraison") == ch(1, 5, 6, 7)
