"""Extraction: language, substances, quantities and prices, zones, contacts, promotions and
recruitment, from the text of every item (messages and OCR text alike).

The importer and `python -m recoupe enrich` call these pure functions; nothing here touches the
workspace, downloads anything or keeps state beyond the compiled lexicons and language model.

- `normalise(text)`, `normalise_with_map(text)`: the one normaliser, shared with search.
- `extract(text, lang=None, lang_score=None) -> list[Entity]`: every entity, with raw span and
  offsets; `lang` and `lang_score` from `detect_language` let language-dependent names decide.
- `detect_language(texts) -> list[(code | None, score)]`: ISO 639-1 codes, in batches.
- `analyse(texts) -> list[(code | None, score, entities)]`: both, for a batch of items.
- `LEXICON_VERSION`: changes whenever a data file in `data/` (or the extraction rules) change.
- `Extractor(data_dir)`: the same with the lexicons of another folder.
"""

from __future__ import annotations

import gc

from .entities import KINDS, Entity, Extractor
from .lang import detect_language
from .lexicon import lexicon_version
from .normalise import normalise, normalise_with_map

_DEFAULT = Extractor()
LEXICON_VERSION = _DEFAULT.version


def extract(text: str, lang: str | None = None, lang_score: float | None = None) -> list[Entity]:
    """Every entity in `text`, in text order; `lang` and `lang_score` as `detect_language`
    gave them (see `entities.Extractor.extract`)."""
    return _DEFAULT.extract(text, lang, lang_score)


def analyse(texts: list[str]) -> list[tuple[str | None, float, list[Entity]]]:
    """Language, its score and the entities of each text: what an item gets at import and at
    `enrich`. A module-level function of plain data, so that a process pool can run it.

    The cyclic garbage collector is paused meanwhile: a batch makes hundreds of thousands of
    small tuples and no reference cycle, and the collector's passes over them cost a tenth of
    the time (bench/extract.py)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        langs = detect_language(texts)
        return [(lang, score, _DEFAULT.extract(text, lang, score))
                for text, (lang, score) in zip(texts, langs)]
    finally:
        if paused:
            gc.enable()


__all__ = ["KINDS", "LEXICON_VERSION", "Entity", "Extractor", "analyse", "detect_language",
           "extract", "lexicon_version", "normalise", "normalise_with_map"]
