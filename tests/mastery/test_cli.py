"""``jupyter-adaptive mastery fit`` / ``predict``, and their errors on malformed input."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from jupyter_adaptive import cli
from jupyter_adaptive.mastery.model_file import FORMAT_VERSION


@pytest.fixture(autouse=True)
def only_mastery_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep these tests independent of the other sub-commands."""
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("mastery",))


@pytest.fixture(scope="module")
def model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("model") / "model.json"
    data = Path(__file__).parent / "data" / "ct_sample.csv.gz"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cli, "COMMAND_MODULES", ("mastery",))
        assert cli.main(["mastery", "fit", "--data", str(data), "--out", str(path)]) == 0
    return path


def test_predict_writes_the_input_rows_plus_p_correct(
    model_path: Path, ct_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "pred.csv"
    code = cli.main(
        [
            "mastery",
            "predict",
            "--model",
            str(model_path),
            "--data",
            str(ct_path),
            "--out",
            str(out),
        ]
    )
    assert code == 0
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    original = pd.read_csv(ct_path, dtype=str, keep_default_na=False)
    assert list(written.columns) == [*original.columns, "p_correct"]
    pd.testing.assert_frame_equal(written[original.columns], original)
    p = written["p_correct"].astype(float)
    assert p.between(0, 1, inclusive="neither").all()


def test_fit_accepts_every_model_name(ct_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "bkt.json"
    argv = ["mastery", "fit", "--data", str(ct_path), "--out", str(out), "--model", "bkt"]
    assert cli.main(argv) == 0
    assert '"model": "bkt"' in out.read_text()


GOOD = "order_id,user_id,skill_name,correct\n1,u1,add,1\n2,u1,add,0\n3,u2,add,1\n"
MALFORMED = {
    "missing column": (
        "order_id,user_id,correct\n1,u1,1\n",
        "lacks the column `skill_name`",
    ),
    "correct not 0/1": (
        "order_id,user_id,skill_name,correct\n1,u1,add,1\n2,u1,add,yes\n3,u1,add,2\n4,u1,add,0\n",
        "column `correct` must be 0 or 1, but is not on line(s) 3, 4.",
    ),
    "empty file": ("", "is empty"),
    "header only": ("order_id,user_id,skill_name,correct\n", "has a header but no rows"),
    "semicolons": (
        "order_id;user_id;skill_name;correct\n1;u1;add;1\n",
        "looks separated by semicolons, not commas",
    ),
    "tabs": ("order_id\tuser_id\tskill_name\tcorrect\n1\tu1\tadd\t1\n", "separated by tabs"),
    "order_id not integer": (
        "order_id,user_id,skill_name,correct\n1,u1,add,1\nfirst,u1,add,1\n",
        "column `order_id` must be an integer, but is not on line(s) 3.",
    ),
    "empty skill": (
        "order_id,user_id,skill_name,correct\n1,u1,,1\n",
        "column `skill_name` is empty on line(s) 2.",
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED))
@pytest.mark.parametrize("command", ["fit", "predict"])
def test_malformed_input_gives_one_clear_error_and_writes_nothing(
    case: str,
    command: str,
    model_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    content, message = MALFORMED[case]
    data = tmp_path / "data.csv"
    data.write_text(content)
    out = tmp_path / ("out.json" if command == "fit" else "out.csv")
    argv = ["mastery", command, "--data", str(data), "--out", str(out)]
    if command == "predict":
        argv += ["--model", str(model_path)]
    assert cli.main(argv) == 1
    error = capsys.readouterr().err
    assert message in error
    assert error.startswith("jupyter-adaptive: error: data.csv")
    assert list(tmp_path.iterdir()) == [data]


def test_gzipped_input_is_read(tmp_path: Path, model_path: Path) -> None:
    data = tmp_path / "data.csv.gz"
    with gzip.open(data, "wt") as stream:
        stream.write(GOOD)
    out = tmp_path / "pred.csv"
    argv = [
        "mastery",
        "predict",
        "--model",
        str(model_path),
        "--data",
        str(data),
        "--out",
        str(out),
    ]
    assert cli.main(argv) == 0
    assert len(pd.read_csv(out)) == 3


def test_a_model_file_of_another_version_fails_before_writing(
    model_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.json"
    old.write_text(
        model_path.read_text().replace(f'"format_version": {FORMAT_VERSION}', '"format_version": 0')
    )
    data = tmp_path / "data.csv"
    data.write_text(GOOD)
    out = tmp_path / "pred.csv"
    argv = ["mastery", "predict", "--model", str(old), "--data", str(data), "--out", str(out)]
    assert cli.main(argv) == 1
    assert "format version 0" in capsys.readouterr().err
    assert not out.exists()


def test_fitting_on_answers_that_are_all_right_is_refused_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data.csv"
    data.write_text("order_id,user_id,skill_name,correct\n1,u1,add,1\n2,u2,add,1\n")
    out = tmp_path / "model.json"
    assert cli.main(["mastery", "fit", "--data", str(data), "--out", str(out)]) == 1
    assert "column `correct` is the same on every row" in capsys.readouterr().err
    assert not out.exists()
