"""Timelines on the sample workspace and on exports written to fall on the clock changes."""

from __future__ import annotations

import json
import shutil
import struct
from collections import Counter
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import altair as alt
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, message, run, telegram_export, write_json
from recoupe import audit, timeline as tl
from recoupe.access import Actor
from recoupe.errors import RecoupeError
from recoupe.imports import import_paths
from recoupe.items import iter_items
from recoupe.search import search
from recoupe.workspace import open_workspace

PARIS = ZoneInfo("Europe/Paris")
MAIN = "Le Drive du 13 🎄"


@pytest.fixture(scope="module")
def ws_copy(sample_ws, tmp_path_factory):
    """A copy of the sample workspace that tests may write markers into."""
    dest = tmp_path_factory.mktemp("timeline") / "ws"
    shutil.copytree(sample_ws, dest)
    return dest


def _paris_day(posted_at: str) -> date:
    utc = datetime.fromisoformat(posted_at.replace("Z", "+00:00"))
    return utc.astimezone(PARIS).date()


def _item(ws, chat: str, message_id: int) -> dict:
    return next(r for r in iter_items(ws, chat=chat) if r["message_id"] == message_id)


def test_counts_per_day_match_the_items(sample_ws):
    """Each day's count is the number of posts whose time, moved to Paris by zoneinfo (not by
    the code under test), falls on that day; quiet days are there with 0."""
    with open_workspace(sample_ws, read_only=True) as ws:
        posts = [r for r in iter_items(ws) if r["posted_at"]]
        expected = Counter(_paris_day(r["posted_at"]) for r in posts)
        frame = tl.volume(ws, by="day")
        per_chat = tl.volume(ws, by="day", split=True)
        main = tl.volume(ws, tl.Scope(chat_ids=tl.chat_ids(ws, [MAIN])), by="day")
    got = {p.date(): n for p, n in zip(frame["period"], frame["items"])}
    assert {d: n for d, n in got.items() if n} == dict(expected)
    assert sum(got.values()) == len(posts)
    days = sorted(got)
    assert (days[-1] - days[0]).days + 1 == len(days)  # every day, quiet ones included
    assert per_chat.groupby("period")["items"].sum().tolist() == frame["items"].tolist()
    main_expected = Counter(_paris_day(r["posted_at"]) for r in posts if r["chat"] == MAIN)
    assert {p.date(): n for p, n in zip(main["period"], main["items"]) if n} == dict(main_expected)


def test_the_paris_day_boundary(sample_ws):
    """Message 155 is posted at 23:12 in Paris on 24 December (22:12 UTC): the 24th. Message 156
    at 00:41 in Paris on the 25th is still the 24th in UTC (23:41): it counts on the 25th."""
    with open_workspace(sample_ws, read_only=True) as ws:
        eve, night = _item(ws, MAIN, 155), _item(ws, MAIN, 156)
        assert eve["posted_at"].startswith("2026-12-24T22:12")
        assert night["posted_at"].startswith("2026-12-24T23:41")
        scope = tl.Scope(chat_ids=tl.chat_ids(ws, [MAIN]))
        on_24 = tl.items_in(ws, scope, datetime(2026, 12, 24), datetime(2026, 12, 24))
        on_25 = tl.items_in(ws, scope, datetime(2026, 12, 25), datetime(2026, 12, 25))
        frame = tl.volume(ws, scope, by="day")
        hours = tl.items_in(ws, scope, datetime(2026, 12, 24, 23), datetime(2026, 12, 24, 23),
                            by="hour")
    assert eve["id"] in set(on_24["id"]) and night["id"] not in set(on_24["id"])
    assert night["id"] in set(on_25["id"])
    counts = dict(zip(frame["period"], frame["items"]))
    assert counts[datetime(2026, 12, 24)] == len(on_24)
    assert counts[datetime(2026, 12, 25)] == len(on_25)
    assert list(hours["id"]) == [eve["id"]]  # 23:12 Paris is in the 23:00 hour


def test_days_and_hours_across_the_clock_changes(tmp_path):
    """Posts written at chosen UTC instants around the 2026 clock changes (29 March, 25
    October): the expected Paris days and hours are worked out by hand."""
    instants = {  # UTC -> what Paris reads
        datetime(2026, 3, 28, 23, 30): "29 March 00:30 CET",
        datetime(2026, 3, 29, 0, 59): "29 March 01:59 CET",
        datetime(2026, 3, 29, 1, 0): "29 March 03:00 CEST",
        datetime(2026, 3, 29, 22, 30): "30 March 00:30 CEST",
        datetime(2026, 10, 24, 22, 30): "25 October 00:30 CEST",
        datetime(2026, 10, 25, 0, 30): "25 October 02:30 CEST",
        datetime(2026, 10, 25, 1, 30): "25 October 02:30 CET",
        datetime(2026, 10, 25, 22, 30): "25 October 23:30 CET",
        datetime(2026, 10, 25, 23, 30): "26 October 00:30 CET",
    }
    msgs = [message(i + 1, f"post {i + 1}", unix=int(t.replace(tzinfo=timezone.utc).timestamp())
                    - (i + 1) * 60) for i, t in enumerate(instants)]
    path = write_json(tmp_path / "dst" / "result.json", telegram_export(msgs))
    with open_workspace(tmp_path / "ws", create=True) as ws:
        import_paths(ws, [path], user="test")
        days = tl.volume(ws, by="day")
        hours = tl.volume(ws, by="hour")
        weeks = tl.volume(ws, by="week")
    per_day = {p.date(): n for p, n in zip(days["period"], days["items"]) if n}
    assert per_day == {date(2026, 3, 29): 3, date(2026, 3, 30): 1,
                       date(2026, 10, 25): 4, date(2026, 10, 26): 1}
    per_hour = {p: n for p, n in zip(hours["period"], hours["items"]) if n}
    assert per_hour[datetime(2026, 3, 29, 1)] == 1 and per_hour[datetime(2026, 3, 29, 3)] == 1
    assert per_hour[datetime(2026, 10, 25, 2)] == 2  # the hour clocks repeat holds both
    assert per_hour[datetime(2026, 10, 25, 23)] == 1
    per_week = {p.date(): n for p, n in zip(weeks["period"], weeks["items"]) if n}
    # India is 5 h 30 ahead of UTC all year: 18:29 UTC is 23:59 there, 18:31 UTC the next day
    msgs = [message(1, "avant minuit", unix=int(datetime(2026, 12, 24, 18, 29, tzinfo=timezone.utc)
                                                .timestamp()) - 60),
            message(2, "après minuit", unix=int(datetime(2026, 12, 24, 18, 31, tzinfo=timezone.utc)
                                                .timestamp()) - 120)]
    india = write_json(tmp_path / "india" / "result.json", telegram_export(msgs, name="Canal Inde",
                                                                            chat_id=77))
    with open_workspace(tmp_path / "ws") as ws:
        import_paths(ws, [india], user="test")
        kolkata = tl.volume(ws, tl.Scope(chat_ids=tl.chat_ids(ws, ["Canal Inde"])), by="day",
                            tz="Asia/Kolkata")
        with pytest.raises(RecoupeError, match="Unknown time zone"):
            tl.volume(ws, tz="Europe/Nowhere")
    assert [(p.date(), n) for p, n in zip(kolkata["period"], kolkata["items"])] == [
        (date(2026, 12, 24), 1), (date(2026, 12, 25), 1)]
    # weeks start on Monday: 23 March, 30 March, 19 October, 26 October 2026
    assert per_week == {date(2026, 3, 23): 3, date(2026, 3, 30): 1,
                        date(2026, 10, 19): 4, date(2026, 10, 26): 1}


def test_a_price_series_matches_the_prices_in_the_adverts(sample_ws):
    """The festive menu of 21 December (main channel, message 144) reads: "❄️ C : le G à 55 |
    3 pour 150 | 5G = 230€" and "🍃 Beuh : 10g = 55€ | 25g = 120€". So cocaine that day costs
    55, 50 and 46 € a gram, herb 5.50 and 4.80."""
    with open_workspace(sample_ws, read_only=True) as ws:
        main = tl.chat_ids(ws, [MAIN])
        coke = tl.prices(ws, "cocaine", by="day", chat_ids=main)
        herb = tl.prices(ws, "cannabis-herb", by="day", chat_ids=main)
        per_chat = tl.prices(ws, "cocaine", by="day", per_chat=True)
        obs = tl.price_observations(ws, "cocaine", datetime(2026, 12, 21), datetime(2026, 12, 21),
                                    chat_ids=main)
    day = coke[coke["period"] == datetime(2026, 12, 21)].iloc[0]
    assert (day["observations"], day["posts"]) == (3, 1)
    assert (day["median"], day["low"], day["high"]) == (50, 46, 55)
    assert (day["unit"], day["currency"]) == ("g", "EUR")
    assert sorted(obs["raw"]) == sorted(["le G à 55", "3 pour 150", "5G = 230€"])
    h = herb[herb["period"] == datetime(2026, 12, 21)].iloc[0]
    assert (h["low"], h["high"], h["median"]) == (4.8, 5.5, pytest.approx(5.15))
    # over every chat, the main channel's day is one series among the chats'
    assert set(per_chat["series"]) >= {MAIN, "Bons Plans 13 🔥"}
    assert per_chat["chat_id"].notna().all()


def test_series_of_a_search_and_of_an_entity_count_what_search_finds(sample_ws):
    with open_workspace(sample_ws, read_only=True) as ws:
        by_query = tl.volume(ws, tl.Scope(query="calendrier"), by="week")
        total = search(ws, "calendrier", limit=1, facets=False).total
        zone = tl.volume(ws, tl.Scope(entity=("zone", "Aubagne")), by="day")
        zone_total = search(ws, "zone:Aubagne", limit=1, facets=False).total
        with pytest.raises(RecoupeError, match="substance, a zone or a contact"):
            tl.volume(ws, tl.Scope(entity=("colour", "red")))
        with pytest.raises(RecoupeError, match="hour, day or week"):
            tl.volume(ws, by="month")
    assert total > 10 and by_query["items"].sum() == total
    assert zone_total > 5 and zone["items"].sum() == zone_total
    assert set(by_query["series"]) == {"posts matching calendrier"}


def test_black_friday_and_the_built_in_markers():
    # the samples' Black Friday album is on Friday 27 November 2026
    assert tl.black_friday(2026) == date(2026, 11, 27)
    assert tl.black_friday(2025) == date(2025, 11, 28)
    assert tl.black_friday(2030) == date(2030, 11, 29)
    kinds = {(m.kind, m.first_day) for m in tl.builtin_markers([2026])}
    assert kinds == {("black_friday", date(2026, 11, 27)), ("christmas", date(2026, 12, 25)),
                     ("new_year", date(2026, 1, 1))}


def test_markers_people_add_are_kept_with_who_and_audited(ws_copy):
    alice = Actor("alice", "reporter")
    with open_workspace(ws_copy) as ws:
        mid = tl.add_marker(ws, alice, date(2026, 12, 10), "  Opération   de police à Marseille ",
                            last_day=date(2026, 12, 11), note="La Provence, 11/12")
        december = tl.markers(ws, date(2026, 12, 1), date(2026, 12, 31))
        november = tl.markers(ws, date(2026, 11, 1), date(2026, 11, 30))
        with pytest.raises(RecoupeError, match="needs a label"):
            tl.add_marker(ws, alice, date(2026, 12, 10), "   ")
        with pytest.raises(RecoupeError, match="before its first day"):
            tl.add_marker(ws, alice, date(2026, 12, 10), "x", last_day=date(2026, 12, 9))
        with pytest.raises(RecoupeError, match="characters long"):
            tl.add_marker(ws, alice, date(2026, 12, 10), "x" * 500)
        added = audit.entries(ws, action="timeline.marker")
        tl.remove_marker(ws, Actor("bob", "editor"), mid)
        with pytest.raises(RecoupeError, match="no marker"):
            tl.remove_marker(ws, alice, mid)
        removed = audit.entries(ws, action="timeline.marker.remove")
        after = tl.markers(ws, date(2026, 12, 1), date(2026, 12, 31))
    ours = [m for m in december if m.id == mid]
    assert ours and ours[0].label == "Opération de police à Marseille"
    assert ours[0].created_by == "alice" and ours[0].last_day == date(2026, 12, 11)
    assert [m.kind for m in december] == ["user", "christmas"]
    assert [m.kind for m in november] == ["black_friday"]
    assert len(added) == 1 and added[0]["actor"] == "alice"
    assert added[0]["detail"]["label"] == "Opération de police à Marseille"
    assert removed[0]["actor"] == "bob" and removed[0]["detail"]["created_by"] == "alice"
    assert all(m.id != mid for m in after)


def test_spread_puts_each_copy_on_its_chats_line(sample_ws):
    """Christmas Eve (main 155) was copied by Bons Plans 13 (62) and forwarded by Drive 13
    Secours (67); the relays repost between 10 minutes and 4 hours after the original."""
    with open_workspace(sample_ws, read_only=True) as ws:
        ids = [_item(ws, MAIN, 155)["id"], _item(ws, "Bons Plans 13 🔥", 62)["id"],
               _item(ws, "Drive 13 Secours 🆘", 67)["id"]]
        frame = tl.spread(ws, reversed(ids))
        marks = tl.markers(ws, date(2026, 12, 24), date(2026, 12, 26))
        empty = tl.spread(ws, [])
    assert frame["id"].iloc[0] == ids[0] and frame["order"].tolist() == [1, 2, 3]
    assert frame["chat"].iloc[0] == MAIN and frame["first_in_chat"].all()
    assert all(10 <= m <= 240 for m in frame["minutes_after_first"].iloc[1:])
    assert frame["local"].iloc[0] == datetime(2026, 12, 24, 23, 12, 37)
    forwarded = frame[frame["chat"] == "Drive 13 Secours 🆘"]["forwarded_from"].iloc[0]
    assert forwarded == MAIN
    spec = tl.spread_chart(frame, marks).to_dict()
    points = [v for values in spec["datasets"].values() for v in values if "id" in v]
    assert {(p["id"], p["chat"]) for p in points} == set(zip(frame["id"], frame["chat"]))
    assert "Christmas" in json.dumps(spec)
    assert empty.empty


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_charts_carry_markers_and_selections_and_print_as_png(sample_ws):
    with open_workspace(sample_ws, read_only=True) as ws:
        frame = tl.volume(ws, by="day")
        marks = tl.markers(ws, *tl.days_in_view(frame, "day"))
        split = tl.volume(ws, by="week", split=True)
        prices = tl.prices(ws, "cocaine", by="week")
    chart = tl.volume_chart(frame, marks, by="day")
    spec = chart.to_dict()
    text = json.dumps(spec, ensure_ascii=False)
    assert "Black Friday" in text and "Christmas" in text
    names = {p["name"] for p in spec.get("params", [])} | {
        p["name"] for layer in spec["layer"] for p in layer.get("params", [])}
    assert {"period", "pick"} <= names
    assert _png_size(tl.png(chart, width=600, height=250, scale=1)) >= (600, 250)
    assert _png_size(tl.png(tl.volume_chart(split, by="week"), width=500, height=200,
                            scale=2))[0] >= 1000
    assert _png_size(tl.png(tl.price_chart(prices, marks, by="week"), width=400, height=200,
                            scale=1))[0] >= 400


def test_png_never_fetches_anything():
    """The data is inline and png() allows no URL: a chart that names one is refused."""
    remote = alt.Chart(alt.UrlData("https://example.org/data.csv")).mark_bar().encode(x="a:Q")
    with pytest.raises(Exception):
        tl.png(remote, width=200, height=100)


def test_a_chart_selection_gives_back_its_periods():
    ms = lambda d: (d - datetime(1970, 1, 1)).total_seconds() * 1000  # noqa: E731
    brush = {"period": {"t": [ms(datetime(2026, 12, 24, 13, 5)), ms(datetime(2026, 12, 21, 2))]}}
    assert tl.selected_periods(brush, "day") == (datetime(2026, 12, 21), datetime(2026, 12, 24))
    assert tl.selected_periods(brush, "week") == (datetime(2026, 12, 21), datetime(2026, 12, 21))
    pick = {"pick": [{"t": ms(datetime(2026, 12, 24, 23)), "chat_id": 3}]}
    assert tl.selected_periods(pick, "hour") == (datetime(2026, 12, 24, 23),) * 2
    assert tl.selected_chat(pick) == 3
    assert tl.selected_periods({}, "day") is None and tl.selected_periods(None, "day") is None


def test_cli_timeline_prints_the_series(sample_ws):
    ws = str(sample_ws)
    days = json.loads(run("recoupe", "timeline", "--workspace", ws, "--json", check=True).stdout)
    weeks = json.loads(run("recoupe", "timeline", "--workspace", ws, "--by", "week", "--json",
                           check=True).stdout)
    assert sum(r["items"] for r in days["series"]) == sum(r["items"] for r in weeks["series"])
    assert days["tz"] == "Europe/Paris" and days["series"][0]["period"] == "2026-11-01T00:00:00"
    assert {m["kind"] for m in days["markers"]} == {"black_friday", "christmas"}
    one = json.loads(run("recoupe", "timeline", "--workspace", ws, "--chat", MAIN, "--since",
                         "2026-12-24", "--until", "2026-12-25", "--json", check=True).stdout)
    with open_workspace(sample_ws, read_only=True) as w:
        expected = Counter(_paris_day(r["posted_at"]) for r in iter_items(w, chat=MAIN)
                           if r["posted_at"])
    assert [(r["period"][:10], r["items"]) for r in one["series"]] == [
        ("2026-12-24", expected[date(2026, 12, 24)]), ("2026-12-25", expected[date(2026, 12, 25)])]
    prices = run("recoupe", "timeline", "--workspace", ws, "--prices", "--substance", "cocaine",
                 "--chat", MAIN, check=True).stdout
    assert any(line.startswith("2026-12-21") and " 50.00 " in line and " 46.00 " in line
               for line in prices.splitlines())
    table = run("recoupe", "timeline", "--workspace", ws, "--query", "calendrier", "--by", "week",
                check=True).stdout
    assert table.splitlines()[0].startswith("posts matching calendrier, per week")
    bad = run("recoupe", "timeline", "--workspace", ws, "--chat", "Nowhere")
    assert bad.returncode == 1 and "No chat named 'Nowhere'" in bad.stderr
    assert "Traceback" not in bad.stderr
    both = run("recoupe", "timeline", "--workspace", ws, "--zone", "Aubagne", "--query", "x")
    assert both.returncode == 1 and "Give one of" in both.stderr


def test_cli_markers_are_added_listed_and_removed(ws_copy):
    ws = str(ws_copy)
    added = run("recoupe", "marker", "add", "2026-12-05", "Descente à Vitrolles", "--user", "carla",
                "--workspace", ws, check=True)
    mid = int(added.stdout.split()[1])
    listed = json.loads(run("recoupe", "marker", "list", "--workspace", ws, "--json",
                            check=True).stdout)
    assert any(m["id"] == mid and m["created_by"] == "carla" for m in listed)
    bad = run("recoupe", "marker", "add", "05/12/2026", "x", "--workspace", ws)
    assert bad.returncode == 1 and "YYYY-MM-DD" in bad.stderr
    run("recoupe", "marker", "remove", str(mid), "--user", "carla", "--workspace", ws, check=True)
    again = run("recoupe", "marker", "remove", str(mid), "--workspace", ws)
    assert again.returncode == 1 and f"no marker {mid}" in again.stderr


def test_timeline_page(ws_copy, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("RECOUPE_WORKSPACE", str(ws_copy))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/timeline.py").run()
    assert not at.exception
    with open_workspace(ws_copy, read_only=True) as ws:
        total = int(tl.volume(ws)["items"].sum())
        aubagne = search(ws, "zone:Aubagne", limit=1, facets=False).total
    assert any(m.value.startswith(f"**{total}** posts") for m in at.markdown)
    at.radio(key="tl_what").set_value("zone").run()
    at.selectbox(key="tl_zone").set_value("Aubagne").run()
    assert not at.exception
    assert any(m.value.startswith(f"**{aubagne}** posts") for m in at.markdown)
    at.text_input(key="tl_items").input("1, 2, 999999").run()
    assert any("in **1** chats" in m.value for m in at.markdown)
    at.text_input(key="tl_items").input("1, x").run()
    assert any("numbers separated by commas" in e.value for e in at.error)
    # a marker someone added is listed with its author on the Markers tab
    with open_workspace(ws_copy) as ws:
        tl.add_marker(ws, Actor("dora", "reporter"), date(2026, 12, 15),
                      "Fermeture du point de deal")
    at.text_input(key="tl_items").input("").run()
    assert not at.exception and not at.error
    tables = [d.value for d in at.dataframe]
    listed = [t for t in tables if "Marker" in t.columns]
    assert listed and "Fermeture du point de deal" in set(listed[0]["Marker"])
    row = listed[0][listed[0]["Marker"] == "Fermeture du point de deal"].iloc[0]
    assert row["Added by"] == "dora" and row["Days"] == "2026-12-15"
