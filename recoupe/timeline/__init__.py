"""Timelines (issue 7): when the promotions start, how prices move, how an advert spreads.

- `series`: the numbers, aggregated in DuckDB (`queries/timeline.sql`) per hour, day or week of
  the reader's zone (Europe/Paris by default): `volume(ws, scope, by=..., split=...)` (posts of
  the workspace, of chats, of a search or saved search, naming a substance, zone or contact),
  `prices(ws, substance, ...)` (median, range and count of the per-unit prices), `spread(ws,
  item_ids)` (each copy of an advert, or each piece of a case's evidence, in order), and what a
  selection on a chart lists (`items_in`, `price_observations`).
- `markers`: Black Friday, Christmas and New Year for the years in view, and the markers people
  add (`add_marker(ws, actor, ...)`, audited).
- `charts`: the Altair charts the Timeline page shows (`volume_chart`, `price_chart`,
  `spread_chart`) and `png(chart, width=..., height=...)`, the one function that turns any of
  them into the image the PDF dossier prints.
"""

from .charts import period_label, png, price_chart, spread_chart, volume_chart
from .markers import (Marker, add_marker, black_friday, builtin_markers, markers,
                      remove_marker)
from .series import (ENTITY_KINDS, UNITS, Scope, chat_ids, chats, days_in_view, entity_values,
                     items_in,
                     period_end, price_observations, priced_substances, prices, saved_scope,
                     selected_chat, selected_periods, span, spread, volume)

__all__ = ["ENTITY_KINDS", "UNITS", "Marker", "Scope", "add_marker", "black_friday",
           "builtin_markers", "chat_ids", "chats", "days_in_view", "entity_values", "items_in", "markers",
           "period_end", "period_label", "png", "price_chart", "price_observations",
           "priced_substances", "prices", "remove_marker", "saved_scope", "selected_chat",
           "selected_periods", "span", "spread", "spread_chart", "volume", "volume_chart"]
