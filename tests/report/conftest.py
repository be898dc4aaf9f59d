"""One synthetic export, one report run per test session (the run takes a few seconds)."""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from tests.report.synthetic import STUDY_TOML, write_csv
from trivselscore.cli.commands import main
from trivselscore.study import Study


@dataclass(frozen=True)
class Run:
    folder: Path
    data: Path
    study_file: Path
    html_path: Path
    xlsx_path: Path
    html: str
    stderr: str
    code: int


def expected_study(data: Path, **options: object) -> Study:
    """The same Study, read independently: pandas' CSV reader, sex mapped by hand (options: from_long's)."""
    frame = pd.read_csv(
        data,
        sep=";",
        decimal=",",
        encoding="utf-8-sig",
        dtype={"elev_id": str, "tidspunkt": str, "forløb": str, "køn": str},
    )
    frame["køn"] = frame["køn"].map({"pige": "female", "dreng": "male"})
    return Study.from_long(
        frame,
        instruments={"who5": "who5", "sdq": ["sdq-s11-17", "sdq-s18"], "scas": "scas-c", "mfq": "mfq-c"},
        time_points=["start", "efter samtaler", "efter forløb", "3 mdr"],
        person="elev_id",
        time="tidspunkt",
        groups=["forløb", "køn"],
        sex="køn",
        age="alder",
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="session")
def report_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    folder = tmp_path_factory.mktemp("report")
    data = write_csv(folder / "eksport.csv")
    study_file = folder / "STUDY.toml"
    study_file.write_text(STUDY_TOML, encoding="utf-8")
    html_path, xlsx_path = folder / "rapport.html", folder / "rapport.xlsx"
    capture = folder / "stderr.txt"
    with capture.open("w", encoding="utf-8") as err, contextlib.redirect_stderr(err):
        code = main(
            [
                "report",
                str(data),
                "--study",
                str(study_file),
                "-o",
                str(html_path),
                "--xlsx",
                str(xlsx_path),
                "--decimal",
                ",",
            ]
        )
        sys.stderr.flush()
    return Run(
        folder=folder,
        data=data,
        study_file=study_file,
        html_path=html_path,
        xlsx_path=xlsx_path,
        html=html_path.read_text(encoding="utf-8"),
        stderr=capture.read_text(encoding="utf-8"),
        code=code,
    )


@pytest.fixture(scope="session")
def study(report_run: Run) -> Study:
    return expected_study(report_run.data)
