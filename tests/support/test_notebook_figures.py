"""Every figure the library returns shows as a picture when it is a notebook cell's result.

A real notebook is executed by a real Jupyter kernel (nbclient, ipykernel), without
pyplot and without ``%matplotlib``: each figure cell must give an ``image/png`` output.
"""

from __future__ import annotations

import base64
import os
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n"

SETUP = """\
import sys
from examples.cohort_report import TIME_POINTS, synthetic_cohort
from tests.study import synthetic
from trivselscore.cohort import Cohort
from trivselscore.plots import plot_change, plot_means
from trivselscore.study import Study
from trivselscore.study import figures

cohort = Cohort.from_long(
    synthetic_cohort(n=80), "who5", time_points=TIME_POINTS, person="id", time="tidspunkt", groups=["forløb"]
)
study = Study.from_long(synthetic.make(n_persons=120, seed=3), **synthetic.study_kwargs())
scales = {"who5": ["percentage"], "sdq": ["total"]}
print(sys.executable)
"""

FIGURES = {
    "cohort means": 'plot_means(cohort.summary("percentage", by=["forløb"]))',
    "cohort change": (
        'plot_change(cohort.change("percentage", "start", "slut", method="difference", by=["forløb"]))'
    ),
    "study means": 'figures.plot_means(study.summary("who5", "percentage", by=["køn"]))',
    "study change": (
        'figures.plot_change(study.change("start", "3 mdr", by=["forløb"], scales=scales), '
        'measure="who5", scale="percentage")'
    ),
    "study improvement": (
        'figures.plot_improvement(study.change("start", "3 mdr", by=["forløb"], scales=scales))'
    ),
}


def test_each_figure_is_a_picture_as_a_cells_result(monkeypatch):
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core's own paths, without its warning
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    import nbformat  # noqa: PLC0415 - after the environment is set
    from nbclient import NotebookClient  # noqa: PLC0415

    v4: Any = nbformat.v4  # untyped
    cells = [v4.new_code_cell(SETUP)]
    cells += [v4.new_code_cell(source) for source in FIGURES.values()]
    cells.append(v4.new_code_cell('"matplotlib.pyplot" in sys.modules'))
    notebook = v4.new_notebook(cells=cells)
    env_path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    monkeypatch.setenv("PYTHONPATH", env_path)
    NotebookClient(
        notebook, timeout=240, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()

    setup, *figure_cells, pyplot = notebook.cells
    assert setup.outputs[0]["text"].strip() == sys.executable  # the kernel of this environment
    for name, cell in zip(FIGURES, figure_cells, strict=True):
        [result] = [output for output in cell.outputs if output["output_type"] == "execute_result"]
        assert "image/png" in result["data"], (name, result["data"].get("text/plain"))
        assert base64.b64decode(result["data"]["image/png"]).startswith(PNG), name
        assert result["data"]["text/plain"].startswith("<NotebookFigure size "), name
    [answer] = pyplot.outputs
    assert answer["data"]["text/plain"] == "False"  # no pyplot, no magic: the figure shows itself


def test_the_figure_class_is_found_by_name_and_pickles():
    import pickle  # noqa: PLC0415

    from trivselscore.support import figure  # noqa: PLC0415

    made = figure.new_figure(figsize=(2, 1))
    made.add_subplot().plot([1, 2, 3])
    assert type(made) is figure.NotebookFigure
    again: Any = pickle.loads(pickle.dumps(made))  # noqa: S301 - our own object
    assert again._repr_png_().startswith(PNG)
    assert type(again) is figure.NotebookFigure
    with pytest.raises(AttributeError, match="has no attribute 'Figure'"):
        getattr(figure, "Figure")  # noqa: B009 - the module's __getattr__ knows one name only
