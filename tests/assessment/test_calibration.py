"""Calibration recovers known 2PL parameters and flags a broken item with its evidence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jupyter_adaptive.assessment.calibration import DeclaredItem, calibrate, first_answers
from jupyter_adaptive.assessment.item_bank import BankFiles, ItemBank, bank_path
from jupyter_adaptive.errors import InvalidRequestError

from .conftest import Generated, generate


@pytest.fixture(scope="module")
def recovered() -> tuple[Generated, ItemBank]:
    rng = np.random.default_rng(7)
    a = rng.uniform(0.7, 2.0, 40)
    b = rng.uniform(-2.0, 2.0, 40)
    data = generate(1000, a, b, seed=8)
    return data, calibrate("c", data.log, {})


@pytest.fixture(scope="module")
def broken() -> tuple[Generated, ItemBank]:
    rng = np.random.default_rng(11)
    a = rng.uniform(0.7, 2.0, 20)
    b = rng.uniform(-1.5, 1.5, 20)
    a[3] = -1.2  # stronger learners fail it: a reversed key
    data = generate(800, a, b, seed=12)
    return data, calibrate("c", data.log, {})


def test_calibration_recovers_known_parameters(recovered: tuple[Generated, ItemBank]) -> None:
    data, bank = recovered
    a = np.array([bank.items[item].a for item in data.items])
    b = np.array([bank.items[item].b for item in data.items])
    assert np.sqrt(np.mean((b - data.b) ** 2)) <= 0.15
    assert np.sqrt(np.mean((a - data.a) ** 2)) <= 0.2
    assert all(bank.items[item].n == 1000 for item in data.items)
    assert all(0 < bank.items[item].se_b < 0.5 for item in data.items)


def test_well_behaved_items_are_not_flagged(recovered: tuple[Generated, ItemBank]) -> None:
    _data, bank = recovered
    assert [p.item for p in bank.items.values() if p.flags] == []
    assert all(p.source == "fit" for p in bank.items.values())


def test_a_broken_item_ranks_first_as_misfitting(broken: tuple[Generated, ItemBank]) -> None:
    _data, bank = broken
    ranked = list(bank.items.values())
    assert ranked[0].item == "q03"
    assert ranked[0].flags[0].startswith("negative discrimination")
    assert "item-rest correlation -0." in ranked[0].flags[0]
    assert any(flag.startswith("misfit: S-X²") for flag in ranked[0].flags)
    assert not any(p.flags for p in ranked[1:])


def test_items_with_few_answers_keep_their_declared_prior() -> None:
    data = generate(200, np.full(6, 1.2), np.linspace(-1, 1, 6), seed=3)
    sparse = data.log[(data.log["problem_id"] != "q05") | (data.log["user_id"].isin(["u1", "u2"]))]
    declared = {
        "q05": DeclaredItem(("skill1",), 3),
        "never": DeclaredItem(("skill2",), 1),
    }
    bank = calibrate("c", sparse, declared)
    assert bank.items["q05"].source == "prior" and bank.items["q05"].n == 2
    assert (bank.items["q05"].a, bank.items["q05"].b) == (1.0, 1.0)
    assert bank.items["never"].b == -1.0 and bank.items["never"].n == 0
    assert bank.items["never"].skills == ("skill2",)
    assert bank.items["q00"].source == "fit"
    assert "5 items with 30+ answers" in bank.summary


def test_first_answers_keep_each_learners_first_try_only() -> None:
    log = pd.DataFrame(
        {
            "order_id": [3, 1, 2, 4],
            "user_id": ["u", "u", "u", "v"],
            "problem_id": ["i", "i", "j", "i"],
            "correct": [1, 0, 1, 1],
            "skill_name": ["s"] * 4,
        }
    )
    first = first_answers(log)
    assert sorted(map(tuple, first.to_numpy().tolist())) == [
        ("u", "i", 0),
        ("u", "j", 1),
        ("v", "i", 1),
    ]


def test_a_log_without_items_is_refused() -> None:
    log = pd.DataFrame({"order_id": [1], "user_id": ["u"], "skill_name": ["s"], "correct": [1]})
    with pytest.raises(InvalidRequestError, match="problem_id"):
        calibrate("c", log, {})


def test_a_bank_file_reads_back_and_a_broken_one_keeps_priors(
    recovered: tuple[Generated, ItemBank], tmp_path: object
) -> None:
    _data, bank = recovered
    folder = tmp_path  # type: ignore[assignment]
    bank.write(bank_path(folder, "c"))  # type: ignore[arg-type]
    files = BankFiles(folder)  # type: ignore[arg-type]
    assert [p.as_dict() for p in files.get("c").items.values()] == [
        p.as_dict() for p in bank.items.values()
    ]
    bank_path(folder, "c").write_text("{not json", encoding="utf-8")  # type: ignore[arg-type]
    assert files.get("c").items == {}
    assert files.get("other").items == {}
