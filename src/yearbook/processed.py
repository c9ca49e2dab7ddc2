"""The processed layer: one parquet table per form, typed, without personal columns (docs/architecture.md, "Processed tables")."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from yearbook.config import Config
from yearbook.reporting.forms import FORMS, Form, Kind

if TYPE_CHECKING:
    from yearbook.ingest import IngestResult

SOURCE_COLUMNS = ("报送单位", "source_file", "source_row")

_ARROW_TYPES = {
    Kind.TEXT: pa.string(), Kind.ENUM: pa.string(), Kind.CODE: pa.string(), Kind.UNIT: pa.string(),
    Kind.YEAR_MONTH: pa.string(), Kind.INTEGER: pa.int64(), Kind.ORDINAL: pa.int64(),
    Kind.DECIMAL: pa.decimal128(18, 4), Kind.DATE: pa.date32(), Kind.BOOL: pa.bool_(),
}


def schema(form: Form) -> pa.Schema:
    fields = [pa.field(c.name, _ARROW_TYPES[c.kind]) for c in form.columns if not c.personal]
    fields += [pa.field("报送单位", pa.string()), pa.field("source_file", pa.string()),
               pa.field("source_row", pa.int64())]
    return pa.schema(fields)


def write_tables(result: "IngestResult", out: Path) -> None:
    """Write `<FORM>.parquet` for every form: the usable rows only, personal columns dropped."""
    from yearbook.ingest.audit import iter_rows

    for code, form in FORMS.items():
        sch = schema(form)
        rows = list(iter_rows(result.records.get(code, [])))
        data: dict[str, list] = {col.name: [rec.values.get(col.name) for rec in rows]
                                 for col in form.columns if not col.personal}
        data["报送单位"] = [rec.unit for rec in rows]
        data["source_file"] = [rec.file for rec in rows]
        data["source_row"] = [rec.row for rec in rows]
        table = pa.Table.from_pydict(data, schema=sch)
        pq.write_table(table, out / f"{code}.parquet", compression="zstd")


@contextmanager
def replace_layer(cfg: Config) -> Iterator[Path]:
    """A new processed layer of the year, written whole into a staging folder beside `<PROCESSED>/<YEAR>` (yielded)
    and swapped in when the writing succeeded; on any failure the previous layer stays as it was."""
    from yearbook.pipeline import locks, publish

    staging = locks.staging(cfg.processed, cfg.year)  # private (0700), removed below whatever happens
    try:
        yield staging
        publish.swap_in(staging, cfg.processed_year)  # the previous layer is now in `staging`
    finally:
        locks.discard(staging)


def load_table(cfg: Config, form: str) -> pd.DataFrame:
    """A processed table as a DataFrame (integers as nullable Int64, decimals as `Decimal`, dates as `date`)."""
    path = cfg.processed_year / f"{form}.parquet"
    if not path.is_file():
        return schema(FORMS[form]).empty_table().to_pandas(types_mapper=_types_mapper)
    return pq.read_table(path).to_pandas(types_mapper=_types_mapper)


def _types_mapper(arrow_type: pa.DataType):
    if arrow_type == pa.int64():
        return pd.Int64Dtype()
    return None


def exists(cfg: Config) -> bool:
    """The year has a processed layer (its ingest.json is written last, swapped in with the rest)."""
    return (cfg.processed_year / "ingest.json").is_file()


def load_summary(cfg: Config) -> dict:
    path = cfg.processed_year / "ingest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
