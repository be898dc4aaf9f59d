"""Norm tables the user holds: the file reader (every bad line named), the Study API and the report.

Every norm in this file is INVENTED for the tests; none is a published norm.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.report.conftest import expected_study
from tests.report.pages import Page, plain
from tests.report.synthetic import STUDY_TOML, write_csv
from tests.report.test_bad_input import SMALL_TOML, small_csv
from tests.report.test_numbers import holds
from trivselscore import get_instrument
from trivselscore.cli.commands import main
from trivselscore.errors import CohortDataError
from trivselscore.study import Study
from trivselscore.tabular.norms import NormFileError, read_norm_table

NORMS = """# source: invented for the tests (not real norms)
# population: none, invented
skala;køn;alder;gennemsnit;sd
total;pige;12-14;24,5;14
total;dreng;12-14;18;12
total;pige;15-17;26;15
total;dreng;15-17;17,5;11
"""
ROWS = {  # (sex, min age, max age) -> (mean, sd), as NORMS says
    ("female", 12, 14): (24.5, 14.0),
    ("male", 12, 14): (18.0, 12.0),
    ("female", 15, 17): (26.0, 15.0),
    ("male", 15, 17): (17.5, 11.0),
}


def _write(tmp_path: Path, text: str, name: str = "normer.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


# --- the reader -----------------------------------------------------------------------------


def test_a_danish_csv(tmp_path):
    table = read_norm_table(_write(tmp_path, NORMS), instruments=["scas-c"])
    assert {(r.sex, r.min_age, r.max_age): (r.mean, r.sd) for r in table.rows} == ROWS
    assert table.id == "normer"
    assert table.source.citation == "invented for the tests (not real norms)"
    assert table.source.status == "unverified"
    digest = hashlib.sha256(NORMS.encode()).hexdigest()
    assert table.source.note is not None
    assert digest[:16] in table.source.note
    assert table.population == "none, invented"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("scale,sex,age,mean,sd\ntotal,,,20.5,10\n", [("total", None, None, None, 20.5, 10.0)]),
        ("Scale\tSex\tAge\tMean\tSD\ntotal\tboth\t12-\t20\t10\n", [("total", None, 12, None, 20.0, 10.0)]),
        ("scale;sex;age;mean;sd\ntotal;alle;-11;20;10\n", [("total", None, None, 11, 20.0, 10.0)]),
        ("sd,mean,age,sex,scale\n10,20,13,K,total\n10,21,13,M,total\n", [
            ("total", "female", 13, 13, 20.0, 10.0), ("total", "male", 13, 13, 21.0, 10.0)]),
        ("\ufeffscale,sex,age,mean,sd\n\n# a comment\ntotal,female,8\u201311,1,2\ntotal,male,8-11,1,2\n", [
            ("total", "female", 8, 11, 1.0, 2.0), ("total", "male", 8, 11, 1.0, 2.0)]),
    ],
)  # fmt: skip
def test_layouts(tmp_path, text, expected):
    table = read_norm_table(_write(tmp_path, text))
    assert [(r.scale, r.sex, r.min_age, r.max_age, r.mean, r.sd) for r in table.rows] == expected


def test_the_shipped_json_form(tmp_path):
    shipped = get_instrument("scas-p").norms[0]
    path = _write(tmp_path, shipped.model_dump_json(), "nauta.json")
    assert read_norm_table(path, instruments=["scas-p"]) == shipped


BAD = [
    ("", "normer.csv has no header line"),
    ("# only a comment\n", "normer.csv has no header line"),
    ("scale,sex,age,mean,sd\n", "normer.csv has no norm lines under its header"),
    ("scale,sex,age,mean\ntotal,,,1\n", "normer.csv: no column 'sd'"),
    ("scale,sex,age,mean,sd,extra\n", "normer.csv: unknown column 'extra'"),
    ("scale,sex,age,mean,sd,skala\n", "normer.csv: column 'scale' is given twice"),
    ("scale,sex,age,mean,sd\ntotal,,,1\n", "normer.csv line 2: 4 cells, the header has 5"),
    ("scale,sex,age,mean,sd\n,,,1,2\n", "normer.csv line 2: the scale is blank"),
    ("scale,sex,age,mean,sd\ntotal,x,,1,2\n", "normer.csv line 2: sex 'x' is not female, male or blank"),
    ("scale,sex,age,mean,sd\ntotal,,12-8,1,2\n", "normer.csv line 2: age '12-8' is not an age band"),
    ("scale,sex,age,mean,sd\ntotal,,tolv,1,2\n", "normer.csv line 2: age 'tolv' is not an age band"),
    ("scale,sex,age,mean,sd\ntotal,,-,1,2\n", "normer.csv line 2: age '-' is not an age band"),
    ("scale,sex,age,mean,sd\ntotal,,200-,1,2\n", "normer.csv line 2: age '200-' is not an age band"),
    ("scale,sex,age,mean,sd\ntotal,,,x,2\n", "normer.csv line 2: mean must be a number, not 'x'"),
    ("scale,sex,age,mean,sd\ntotal,,,1e3,2\n", "normer.csv line 2: mean must be a number, not '1e3'"),
    ("scale,sex,age,mean,sd\ntotal,,,1,0\n", "normer.csv line 2: sd must be a number above 0, not '0'"),
    ("scale,sex,age,mean,sd\ntotal,,,1,-2\n", "normer.csv line 2: sd must be a number above 0, not '-2'"),
    ('scale,sex,age,mean,sd\ntotal,,,1,"2,5"\n', "normer.csv line 2: sd must be a number above 0, not '2,5'"),
    ("scale;sex;age;mean;sd\ntotal;;;1;nan\n", "normer.csv line 2: sd must be a number above 0, not 'nan'"),
    (
        "scale,sex,age,mean,sd\n# note\ntotal,,8-12,1,2\ntotal,,12-15,1,2\n",
        "normer.csv line 4: scale 'total', both sexes 12-15 overlaps line 3 (both sexes 8-12)",
    ),
    (
        "scale,sex,age,mean,sd\ntotal,female,8-11,1,2\ntotal,male,8-11,1,2\ntotal,female,12-15,1,2\n",
        "normer.csv: no norm for scale 'total', male 12-15, while line 4 ('total', female 12-15) covers",
    ),
    (
        "scale,sex,age,mean,sd\ntotal,,,1,2\nsocial_phobia,,8-11,1,2\n",
        "normer.csv: no norm for scale 'social_phobia', both sexes -7, while line 2 ('total', both sexes)",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_files_name_the_line(tmp_path, text, message):
    with pytest.raises(NormFileError) as raised:
        read_norm_table(_write(tmp_path, text))
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "scale,sex,age,mean,sd\ntotl,,,1,2\n",
            "normer.csv line 2: scale 'totl' is not a scale of scas-c; scales:",
        ),
        (
            "scale,sex,age,mean,sd\ntotal,,,20,0.01\n",
            "normer.csv line 2: norm table 'normer', 'total' (both sexes): T-scores -19950 to 94050 leave",
        ),
    ],
)
def test_a_table_that_does_not_fit_the_instrument(tmp_path, text, message):
    with pytest.raises(NormFileError) as raised:
        read_norm_table(_write(tmp_path, text), instruments=["scas-c"])
    assert str(raised.value).startswith(message)


def test_unreadable_and_bad_json(tmp_path):
    with pytest.raises(NormFileError, match="cannot read the norm table"):
        read_norm_table(tmp_path / "nope.csv")
    with pytest.raises(NormFileError, match="cannot read the norm table"):
        read_norm_table(_write(tmp_path, "scale,sex\nø,x\n", encoding="cp1252"))
    shipped = get_instrument("scas-p").norms[0].model_dump(mode="json")
    shipped["rows"][1]["sd"] = 0
    import json  # noqa: PLC0415

    with pytest.raises(NormFileError) as raised:
        read_norm_table(_write(tmp_path, json.dumps(shipped), "n.json"))
    assert str(raised.value) == "n.json: rows.1.sd: Input should be greater than 0"
    with pytest.raises(NormFileError, match=r"^n.json: Invalid JSON"):
        read_norm_table(_write(tmp_path, "{", "n.json"))
    lost = shipped["rows"][1]
    holes = json.dumps({**shipped, "rows": [r for i, r in enumerate(shipped["rows"]) if i != 1]})
    with pytest.raises(NormFileError) as raised:
        read_norm_table(_write(tmp_path, holes, "n.json"))
    ages = f"{lost['min_age']}-{lost['max_age']}"
    assert str(raised.value).startswith(
        f"n.json: no norm for scale {lost['scale']!r}, {lost['sex']} {ages}, while rows["
    )


# --- the Study API --------------------------------------------------------------------------


def _t_by_hand(study: Study, raw: np.ndarray, time: int) -> list[float]:
    """T = 50 + 10 (x - M) / SD with the row of the person's sex and completed age (NORMS), by hand."""
    sexes = study.column_at("køn", study.time_points[time])
    ages = study.numbers_at("alder", study.time_points[time])
    assert ages is not None
    out = []
    for value, sex, age in zip(raw[:, time].tolist(), sexes, ages.tolist(), strict=True):
        row = next(
            (
                (m, s)
                for (x, lo, hi), (m, s) in ROWS.items()
                if x == sex and not math.isnan(age) and lo <= age // 1 <= hi
            ),
            None,
        )
        out.append(math.nan if row is None or math.isnan(value) else 50 + 10 * (value - row[0]) / row[1])
    return out


def test_study_t_scores_equal_the_formula(tmp_path):
    data = write_csv(tmp_path / "d.csv", n_persons=80)
    norms = read_norm_table(_write(tmp_path, NORMS), instruments=["scas-c"])
    study = expected_study(data, norms={"scas": norms})
    raw, t = study.values("scas", "total"), study.t_scores("scas", "total")
    for time in range(len(study.time_points)):
        assert np.allclose(t[:, time], _t_by_hand(study, raw, time), equal_nan=True)
    assert (~np.isnan(t)).sum() > 50
    plain = expected_study(data)
    assert np.isnan(plain.t_scores("scas", "total")).all()  # no shipped child norms


def test_study_norms_errors(tmp_path):
    data = write_csv(tmp_path / "d.csv", n_persons=20)
    with pytest.raises(CohortDataError, match=r"norms names measure\(s\) \['nope'\]"):
        expected_study(data, norms={"nope": "x"})
    with pytest.raises(CohortDataError, match=r"^norms\['scas'\]: scas-c has no norm table 'nauta-2004'"):
        expected_study(data, norms={"scas": "nauta-2004"})
    wrong = read_norm_table(_write(tmp_path, "scale,sex,age,mean,sd\nprosocial,,,5,2\n"))
    with pytest.raises(
        CohortDataError, match=r"^norms\['scas'\]: scas-c: norm table 'normer' references unknown"
    ):
        expected_study(data, norms={"scas": wrong})


def test_t_scores_and_bands_from_given_scores(tmp_path):
    """A measure read from score columns gets T-scores and T-score bands too (same table, same numbers)."""
    data = write_csv(tmp_path / "d.csv", n_persons=60)
    norms = read_norm_table(_write(tmp_path, NORMS), instruments=["scas-c"])
    items = expected_study(data, norms={"scas": norms})
    rows = [
        {"elev_id": p, "tidspunkt": t, "køn": s, "alder": a, "scas_total": v}
        for p, t, s, a, v in _long(items)
    ]
    given = Study.from_long(
        rows,
        instruments={"scas": "scas-c"},
        time_points=list(items.time_points),
        person="elev_id",
        time="tidspunkt",
        sex="køn",
        age="alder",
        scores={"scas": {"total": "scas_total"}},
        norms={"scas": norms},
    )
    first = items.summary("scas", "total", t_scores=True)
    second = given.summary("scas", "total", t_scores=True)
    assert [r.bands for r in first.rows] == [r.bands for r in second.rows]
    assert [r.t_mean for r in first.rows] == [r.t_mean for r in second.rows]
    assert first.norms == "normer: norms from normer.csv"


def _long(study: Study) -> list[tuple[object, ...]]:
    values = study.values("scas", "total")
    out: list[tuple[object, ...]] = []
    for t, label in enumerate(study.time_points):
        sexes, ages = study.column_at("køn", label), study.column_at("alder", label)
        out.extend(
            (f"P{p}", label, sexes[p], ages[p], values[p, t])
            for p in range(study.n_persons)
            if not math.isnan(values[p, t])
        )
    return out


def test_without_norms_a_t_score_scheme_gives_no_bands(tmp_path):
    study = expected_study(write_csv(tmp_path / "d.csv", n_persons=40))
    summary = study.summary("scas", "total")
    assert all(r.bands == () for r in summary.rows)
    assert summary.band_note == "no norm table"
    assert summary.cutoffs == ()  # a T-score cut is no line on the raw score's axis
    with pytest.raises(ValueError, match="it bands T-scores, and no norm table norms the scale"):
        study.summary("scas", "total", scheme="t60")


# --- the report -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def normed_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Page, Study]:
    folder = tmp_path_factory.mktemp("normed")
    data = write_csv(folder / "eksport.csv")
    _write(folder, NORMS, "scas_normer.csv")
    study_file = folder / "STUDY.toml"
    study_file.write_text(
        STUDY_TOML.replace('instrument = "scas-c"', 'instrument = "scas-c"\nnorms = "scas_normer.csv"'),
        encoding="utf-8",
    )
    capture = folder / "stderr.txt"
    with capture.open("w", encoding="utf-8") as err, contextlib.redirect_stderr(err):
        code = main(
            ["report", str(data), "--study", str(study_file), "-o", str(folder / "r.html"), "--decimal", ","]
        )
        sys.stderr.flush()
    assert code == 0, capture.read_text(encoding="utf-8")
    norms = read_norm_table(folder / "scas_normer.csv", instruments=["scas-c"])
    page = Page((folder / "r.html").read_text(encoding="utf-8"))
    return folder, page, expected_study(data, norms={"scas": norms})


def test_report_t_scores_and_bands_equal_the_study(normed_run):
    _, page, study = normed_run
    table = page.table("scas: samlet angstscore (scas-c)")
    assert table.head[-2:] == ["gns. T", "SD T"]
    assert "normalområde (T under 60) (%)" in table.head
    expected = study.summary("scas", "total", by=["forløb"], t_scores=True)
    truth = study.summary("scas", "total", by=["forløb"], t_scores=True, min_cell=0)
    for html_row, row, true in zip(table.body, expected.rows, truth.rows, strict=True):
        assert row.t_mean is not None
        assert row.t_sd is not None
        assert [plain(c) for c in html_row[-2:]] == [row.t_mean.text(), row.t_sd.text()]
        bands = [b.share for b in true.bands if b.key != "no_band" or b.count.value != 0]
        n = true.n.value
        for text, share in zip(html_row[7 : 7 + len(bands)], bands, strict=True):  # one release
            assert holds(text, share, kind="share", n=int(n) if n is not None else None), (text, share)
    assert "fra normtabellen normer" not in table.foot
    assert "fra normtabellen scas_normer;" in table.foot


def test_report_t_means_equal_a_hand_computation(normed_run):
    _, page, study = normed_run
    raw = study.values("scas", "total")
    table = page.table("scas: samlet angstscore (scas-c)")
    for time, label in enumerate(study.time_points):
        line = next(r for r in table.body if r[0] == label and r[1] == "alle")
        by_hand = [t for t in _t_by_hand(study, raw, time) if not math.isnan(t)]
        if len(by_hand) >= 5:
            assert line[-2] == f"{np.mean(by_hand):.1f}".replace(".", ",")
            assert line[-1] == f"{np.std(by_hand, ddof=1):.1f}".replace(".", ",")
        else:
            assert line[-2] in {"-", "n<5"}


def test_the_appendix_names_the_file(normed_run):
    folder, page, _ = normed_run
    digest = hashlib.sha256((folder / "scas_normer.csv").read_bytes()).hexdigest()[:16]
    text = " ".join(" ".join(page.text).split())
    assert "Normtabel: norms from scas_normer.csv (none, invented)" in text
    assert f"Read from scas_normer.csv (SHA-256 {digest})" in text


def test_without_norms_no_band_column_and_a_note(report_run):
    table = Page(report_run.html).table("scas: samlet angstscore (scas-c)")
    assert not any("T under 60" in h or h == "ingen grænse (%)" for h in table.head)
    assert "gns. T" not in table.head
    assert "grænserne for total gælder T-scorer, og ingen normtabel dækker skalaen" in table.foot
    assert 'norms = "fil.csv" under [measures.scas]' in table.foot


def test_a_bad_norm_file_stops_the_report(tmp_path, capsys):
    data = small_csv(tmp_path / "d.csv")
    _write(tmp_path, "scale,sex,age,mean,sd\npercentage,,,50,0\n")
    study = tmp_path / "STUDY.toml"
    study.write_text(SMALL_TOML + 'norms = "normer.csv"\n', encoding="utf-8")
    code = main(
        ["report", str(data), "--study", str(study), "-o", str(tmp_path / "r.html"), "--decimal", ","]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err == "trivselscore: error: normer.csv line 2: sd must be a number above 0, not '0'\n"
    assert not (tmp_path / "r.html").exists()


def test_a_missing_norm_file(tmp_path, capsys):
    data = small_csv(tmp_path / "d.csv")
    study = tmp_path / "STUDY.toml"
    study.write_text(SMALL_TOML + 'norms = "nope.csv"\n', encoding="utf-8")
    code = main(
        ["report", str(data), "--study", str(study), "-o", str(tmp_path / "r.html"), "--decimal", ","]
    )
    assert code == 2
    assert f"cannot read the norm table {tmp_path / 'nope.csv'}" in capsys.readouterr().err


def test_the_examples_in_the_analysts_guide_work(tmp_path):
    """The full STUDY.toml, the norm file and the Added Value snippet of docs/analysts.md are accepted."""
    from trivselscore.report.config import parse_config  # noqa: PLC0415

    text = (Path(__file__).parents[2] / "docs" / "analysts.md").read_text(encoding="utf-8")
    blocks = [b.split("\n", 1)[1] for b in text.split("```")[1::2] if b.startswith(("toml", "text"))]
    full = next(b for b in blocks if b.startswith('title = "Evaluering'))
    config = parse_config(full, folder=tmp_path)
    assert config.norm_files() == {"scas": tmp_path / "scas_normer.csv"}
    csv = next(b for b in blocks if b.startswith("# source: Arendt"))
    table = read_norm_table(_write(tmp_path, csv, "scas_normer.csv"), instruments=["scas-c"])
    assert len(table.rows) == 4
    snippet = next(b for b in blocks if b.startswith("[measures.sdq_foraeldre]"))
    head = full.split("[change]")[0]
    added = parse_config(head + snippet)
    assert added.change.method == {"who5": "difference", "sdq_foraeldre": "added_value"}
    assert added.change.options == {"sdq_foraeldre": {"z": 1.96}}
