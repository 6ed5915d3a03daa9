"""A small corpus for the batch tests and a reader of a batch output folder.

The corpus: the three examples (one event), three short reports of a second event written for
these tests, one unrelated article, and one input that cannot be read (binary).
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FLOOD = {
    "flood-a.txt": (
        "Floods cut off Orrin valley villages\n\n"
        "Floodwater cut off four villages in the Orrin valley on Monday after the river burst "
        "its banks, the district council said.\n\n"
        "About 600 people were taken to a school in Velden, council spokesman Piet Halvorsen "
        'said. "Nobody has been hurt, but the roads will stay closed for days," he said.\n'
    ),
    "flood-b.txt": (
        "Orrin river bursts its banks, hundreds evacuated\n\n"
        "Hundreds of residents of the Orrin valley were evacuated on Monday when the river "
        "flooded four villages, officials said.\n\n"
        "Council spokesman Piet Halvorsen said 650 people spent the night in a school in "
        "Velden. Farmers said the council had ignored warnings about the dykes.\n"
    ),
    "flood-c.txt": (
        "Orrin valley flood: council denies neglect\n\n"
        "The district council denied on Tuesday that it had neglected the Orrin dykes before "
        "Monday's flood, which forced about 600 people from their homes in four villages.\n\n"
        '"The dykes were inspected in March," council spokesman Piet Halvorsen said.\n'
    ),
    "chess.txt": (
        "Teenager wins Lisk chess open\n\n"
        "Sixteen-year-old Mara Quint won the Lisk chess open on Saturday after a final-round "
        "draw, the organisers said. She finished half a point ahead of three grandmasters.\n"
    ),
}


def write_corpus(folder: Path, extra: dict[str, str] | None = None) -> list[str]:
    """Write the corpus into `folder`; the inputs to give `parallax batch`, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {**FLOOD, **(extra or {})}.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02 not text \x00" * 20)
    return [*sorted(map(str, EXAMPLES.glob("*.txt"))), str(folder)]


TABLE_KEYS = {
    "articles": ["id"],
    "attributions": ["id"],
    "claims": ["story", "id"],
    "conflicts": ["story", "id"],
    "stories.parquet": ["story"],
}


def read_outputs(out: Path) -> dict:
    """Everything a batch run wrote, comparable across runs: each table as sorted rows (parts
    may be cut differently) and each dossier file's text."""
    result: dict = {}
    for name, keys in TABLE_KEYS.items():
        rows = pq.read_table(out / name).to_pylist()
        result[name] = sorted(rows, key=lambda row: [row[k] for k in keys])
    result["dossiers"] = {
        path.name: path.read_text("utf-8") for path in sorted((out / "dossiers").iterdir())
    }
    return result
