"""Charts of the series (Altair), for the Timeline page and, as PNG, for the PDF dossier.

The page and the dossier draw the same chart objects: the builders here make them, `png()`
turns one into an image with vl-convert (its Vega engine is inside the package: nothing is
fetched, and the charts carry their data inline, so no URL is ever read).

Times are drawn as wall-clock times of the reader's zone. Vega would move times into the
browser's own zone (or the server's, for a PNG), so the data carries each wall-clock time written
as if it were UTC and the time scale is a UTC one: every browser and the dossier show the same
hours, those of Europe/Paris (or the zone the person chose).

Every chart has two selections the page reads back (see `series.selected_periods`): `period`,
an interval dragged along the time axis, and `pick`, a clicked bar or point.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import altair as alt
import pandas as pd

from .. import i18n
from ..i18n import _
from .markers import Marker
from .series import period_end

PALETTE = "tableau10"  # tableau20 (light and dark pairs) past ten series
MARKER_COLOUR = "#b3261e"


def _iso(value) -> str | None:
    """A wall-clock time written as if UTC (see the module's docstring)."""
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def period_label(value, by: str) -> str:
    """'2026-12-24' (a day), '2026-12-24 23:00' (an hour), '2026-12-21 → 2026-12-27' (a week)."""
    ts = pd.Timestamp(value)
    if by == "hour":
        return ts.strftime("%Y-%m-%d %H:00")
    if by == "week":
        return f"{ts:%Y-%m-%d} → {ts + timedelta(days=6):%Y-%m-%d}"
    return ts.strftime("%Y-%m-%d")


def _native(value):
    if value is None or (not isinstance(value, (list, tuple, str)) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _records(frame: pd.DataFrame) -> pd.DataFrame:
    """The chart's data: a frame of plain values (missing ones as None). Streamlit sends it
    to the browser as Arrow; `png()` writes it inline."""
    out = frame.copy()
    for col in out.columns:
        if str(out[col].dtype) in ("Int64", "boolean") or out[col].dtype == object:
            out[col] = [_native(v) for v in out[col]]
            out[col] = out[col].astype(object)
    return out


def _locale() -> dict | None:
    """Vega's number and time formats for French (day and month names, decimal comma)."""
    if i18n.language() != "fr":
        return None
    import vl_convert
    return {"number": vl_convert.get_format_locale("fr-FR"),
            "time": vl_convert.get_time_format_locale("fr-FR")}


def _x(title: str, domain: tuple[str, str] | None = None) -> alt.X:
    scale = alt.Scale(type="utc", domain=list(domain)) if domain else alt.Scale(type="utc")
    return alt.X("t:T", title=title, scale=scale, axis=alt.Axis(labelOverlap=True))


def _zone_title(tz: str) -> str:
    return _("Time ({zone})", zone=tz)


def marker_layers(markers, first: datetime, end: datetime) -> list[alt.Chart]:
    """Bands, rules and labels for the markers within first..end (wall-clock)."""
    rows = []
    for m in markers or ():
        start = datetime.combine(m.first_day, datetime.min.time())
        stop = datetime.combine(m.end_day, datetime.min.time()) + timedelta(days=1)
        if stop <= first or start >= end:
            continue
        rows.append({"row": len(rows) % 2, "t": _iso(max(start, first)),
                     "t_end": _iso(min(stop, end)),
                     "label": m.label, "kind": m.kind,
                     "days": (m.first_day.isoformat() if m.last_day is None else
                              f"{m.first_day.isoformat()} → {m.end_day.isoformat()}"),
                     "by": m.created_by or _("built in")})
    if not rows:
        return []
    data = alt.Data(values=rows)
    tooltip = [alt.Tooltip("label:N", title=_("Marker")), alt.Tooltip("days:N", title=_("Days")),
               alt.Tooltip("by:N", title=_("Added by"))]
    band = alt.Chart(data).mark_rect(opacity=0.10, color=MARKER_COLOUR).encode(
        x="t:T", x2="t_end:T", tooltip=tooltip)
    rule = alt.Chart(data).mark_rule(color=MARKER_COLOUR, strokeDash=[4, 3], opacity=0.8).encode(
        x="t:T", tooltip=tooltip)
    texts = [alt.Chart(data).transform_filter(alt.datum.row == row).mark_text(
        align="left", baseline="top", dx=3, dy=2, fontSize=10, color=MARKER_COLOUR).encode(
        x="t:T", y=alt.value(12 * row), text="label:N", tooltip=tooltip) for row in (0, 1)]
    return [band, rule, *texts]


def _scheme(n: int) -> str:
    return PALETTE if n <= 10 else "tableau20"


def _timed(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """A series' frame with its periods as the chart draws them: t (start), t_end, label."""
    data = frame.copy()
    data["t_end"] = [_iso(period_end(p, by)) for p in data["period"]]
    data["label"] = [period_label(p, by) for p in data["period"]]
    data["t"] = [_iso(p) for p in data["period"]]
    return data


def _selections():
    brush = alt.selection_interval(name="period", encodings=["x"])
    pick = alt.selection_point(name="pick", fields=["t", "chat_id"], on="click")
    return brush, pick


def _layer(layers: list, title: str | None, height: int) -> alt.LayerChart:
    chart = alt.layer(*layers).properties(height=height)
    if title:
        chart = chart.properties(title=alt.TitleParams(title, anchor="start"))
    locale = _locale()
    return chart.configure(locale=locale) if locale else chart


def volume_chart(frame: pd.DataFrame, markers=(), *, by: str = "day", tz: str = "Europe/Paris",
                 title: str | None = None, height: int = 280) -> alt.LayerChart:
    """Posts per period: bars for one series, a line per series (chat) for several; markers
    drawn; hover for the values; `period` and `pick` selections."""
    if frame.empty:
        return _layer([alt.Chart(alt.Data(values=[])).mark_point()], title, height)
    data = _timed(frame, by)
    data = data[["t", "t_end", "label", "series", "chat_id", "items"]]
    first = data["t"].min()
    last = data["t_end"].max()
    brush, pick = _selections()
    tooltip = [alt.Tooltip("label:N", title=_("Period")), alt.Tooltip("series:N", title=_("Series")),
               alt.Tooltip("items:Q", title=_("Posts"), format=",d")]
    x = _x(_zone_title(tz), (first, last))
    y = alt.Y("items:Q", title=_("Posts"))
    base = alt.Chart(_records(data))
    several = data["series"].nunique() > 1
    if several:
        colour = alt.Color("series:N", title=_("Series"),
                           scale=alt.Scale(scheme=_scheme(data["series"].nunique())),
                           legend=alt.Legend(orient="bottom", labelLimit=260, columns=4))
        main = base.mark_line(point=data["t"].nunique() <= 90).encode(
            x=x, y=y, color=colour, tooltip=tooltip,
            opacity=alt.condition(pick, alt.value(1), alt.value(0.35)))
    else:
        main = base.mark_bar(color="#1f6fb2").encode(
            x=x, x2="t_end:T", y=y, y2=alt.datum(0), tooltip=tooltip,
            opacity=alt.condition(pick, alt.value(1), alt.value(0.4)))
    main = main.add_params(brush, pick)
    start = datetime.fromisoformat(first.rstrip("Z"))
    end = datetime.fromisoformat(last.rstrip("Z"))
    return _layer([main, *marker_layers(markers, start, end)], title, height)


def price_chart(frame: pd.DataFrame, markers=(), *, by: str = "day", tz: str = "Europe/Paris",
                title: str | None = None, height: int = 280) -> alt.LayerChart:
    """Price per unit of one substance over time: the median of each period (a point sized by
    the number of observations) and its range (a bar from the lowest to the highest price),
    one colour per series; markers drawn."""
    if frame.empty:
        return _layer([alt.Chart(alt.Data(values=[])).mark_point()], title, height)
    data = _timed(frame, by)
    units = sorted({f"{c or ''}/{u}" for c, u in zip(data["currency"], data["unit"])})
    unit_text = ", ".join(_unit_label(u) for u in units)
    data = data[["t", "t_end", "label", "series", "chat_id", "substance", "unit", "currency",
                 "observations", "posts", "median", "low", "high"]]
    first, last = data["t"].min(), data["t_end"].max()
    brush, pick = _selections()
    tooltip = [alt.Tooltip("label:N", title=_("Period")), alt.Tooltip("series:N", title=_("Series")),
               alt.Tooltip("median:Q", title=_("Median"), format=".2f"),
               alt.Tooltip("low:Q", title=_("Lowest"), format=".2f"),
               alt.Tooltip("high:Q", title=_("Highest"), format=".2f"),
               alt.Tooltip("observations:Q", title=_("Prices"), format=",d"),
               alt.Tooltip("posts:Q", title=_("Posts"), format=",d")]
    x = _x(_zone_title(tz), (first, last))
    colour = alt.Color("series:N", title=_("Series"),
                       scale=alt.Scale(scheme=_scheme(data["series"].nunique())),
                       legend=alt.Legend(orient="bottom", labelLimit=260, columns=4))
    base = alt.Chart(_records(data))
    y_title = _("Price per unit ({unit})", unit=unit_text)
    span = base.mark_rule(strokeWidth=3, opacity=0.45).encode(
        x=x, y=alt.Y("low:Q", title=y_title, scale=alt.Scale(zero=False)), y2="high:Q",
        color=colour, tooltip=tooltip)
    line = base.mark_line(opacity=0.7, strokeDash=[2, 2]).encode(
        x=x, y="median:Q", color=colour)
    points = base.mark_point(filled=True).encode(
        x=x, y="median:Q", color=colour, tooltip=tooltip,
        size=alt.Size("observations:Q", title=_("Prices"), scale=alt.Scale(range=[30, 220]),
                      legend=None),
        opacity=alt.condition(pick, alt.value(1), alt.value(0.4))).add_params(brush, pick)
    start = datetime.fromisoformat(first.rstrip("Z"))
    end = datetime.fromisoformat(last.rstrip("Z"))
    return _layer([span, line, points, *marker_layers(markers, start, end)], title, height)


def _unit_label(unit: str) -> str:
    currency, _slash, per = unit.partition("/")
    symbol = {"EUR": "€", "USD": "$", "GBP": "£"}.get(currency, currency)
    per = {"g": _("g"), "pill": _("pill"), "unit": _("unit"), "ml": _("ml")}.get(per, per)
    return f"{symbol}/{per}"


def spread_chart(frame: pd.DataFrame, markers=(), *, tz: str = "Europe/Paris",
                 title: str | None = None, height: int | None = None) -> alt.LayerChart:
    """How an advert spread: one line per chat, each copy a point on it at its time, labelled
    with the delay after the first copy; forwards and copies told apart by shape; markers
    drawn. `frame` is what `spread()` returns."""
    data = frame.copy()
    if data.empty:
        return _layer([alt.Chart(alt.Data(values=[])).mark_point()], title, height or 120)
    data = data[data["local"].notna()]
    data["t"] = [_iso(v) for v in data["local"]]
    data["when"] = [pd.Timestamp(v).strftime("%Y-%m-%d %H:%M") for v in data["local"]]
    data["how"] = [_("first") if o == 1 else (_("forward") if f else _("copy"))
                   for o, f in zip(data["order"], data["forwarded_from"])]
    data["delay"] = [_delay(m) if o > 1 else "" for m, o in zip(data["minutes_after_first"],
                                                                 data["order"])]
    data["chat"] = data["chat"].fillna(_("(unnamed chat)"))
    data = data[["t", "when", "how", "delay", "chat", "chat_id", "id", "message_id", "order",
                 "minutes_after_first"]]
    lo = pd.Timestamp(data["t"].min().rstrip("Z"))
    hi = pd.Timestamp(data["t"].max().rstrip("Z"))
    pad = max((hi - lo) * 0.05, pd.Timedelta(minutes=30))
    domain = (_iso(lo - pad), _iso(hi + pad))
    chats = list(dict.fromkeys(data["chat"]))  # in order of first copy
    y = alt.Y("chat:N", title=None, sort=chats, axis=alt.Axis(labelLimit=220))
    x = _x(_zone_title(tz), domain)
    lanes = alt.Chart(alt.Data(values=[{"chat": c, "t": domain[0], "t_end": domain[1]}
                                       for c in chats])).mark_rule(
        color="#9aa0a6", strokeWidth=1).encode(x=x, x2="t_end:T", y=y)
    pick = alt.selection_point(name="pick", fields=["id"], on="click")
    tooltip = [alt.Tooltip("chat:N", title=_("Chat")), alt.Tooltip("when:N", title=_("Posted")),
               alt.Tooltip("how:N", title=_("How")),
               alt.Tooltip("minutes_after_first:Q", title=_("Minutes after the first"),
                           format=",.0f"),
               alt.Tooltip("message_id:Q", title=_("Message"), format="d"),
               alt.Tooltip("id:Q", title=_("Item"), format="d")]
    base = alt.Chart(_records(data))
    points = base.mark_point(filled=True, size=110).encode(
        x=x, y=y, tooltip=tooltip,
        color=alt.Color("chat:N", legend=None, scale=alt.Scale(scheme=_scheme(len(chats))),
                        sort=chats),
        shape=alt.Shape("how:N", title=None, legend=alt.Legend(orient="bottom")),
        opacity=alt.condition(pick, alt.value(1), alt.value(0.45))).add_params(pick)
    labels = base.mark_text(dy=-12, fontSize=10, color="#444").encode(x=x, y=y, text="delay:N")
    start = datetime.fromisoformat(domain[0].rstrip("Z"))
    end = datetime.fromisoformat(domain[1].rstrip("Z"))
    return _layer([lanes, points, labels, *marker_layers(markers, start, end)], title,
                  height or max(120, 46 * len(chats) + 50))


def _delay(minutes: float) -> str:
    minutes = float(minutes)
    if minutes < 60:
        return _("+{n} min", n=i18n.number(minutes))
    if minutes < 48 * 60:
        return _("+{n} h", n=i18n.number(minutes / 60, 1))
    return _("+{n} d", n=i18n.number(minutes / 1440, 1))


def png(chart, width: int = 800, height: int = 300, scale: float = 2.0) -> bytes:
    """The chart as a PNG image of width x height (points; `scale` 2 for print), for the PDF
    dossier and the page's "Save as PNG". Nothing is fetched: the data is inline and no URL is
    allowed."""
    import vl_convert

    with alt.data_transformers.disable_max_rows():
        spec = chart.to_dict()
    spec["width"] = width
    if "height" in spec or "layer" in spec:
        spec["height"] = height
    spec.setdefault("background", "white")
    kwargs = {}
    if i18n.language() == "fr":
        kwargs = {"format_locale": "fr-FR", "time_format_locale": "fr-FR"}
    return vl_convert.vegalite_to_png(spec, scale=scale, allowed_base_urls=[], **kwargs)
