"""Training smoke test: a few CPU steps of a tiny CRNN, the loss falls, resume continues, ONNX matches.

torch is the `train` extra; without it this module errors at import on purpose (no skip)."""

import json
import os

import torch  # noqa: F401  (fail loudly when the train extra is missing)

from training.recognizer import train


def _args(out, steps):
    return [
        "--out",
        str(out),
        "--arch",
        "tiny",
        "--max-steps",
        str(steps),
        "--batch-size",
        "8",
        "--workers",
        "0",
        "--threads",
        "1",
        "--val-lines",
        "8",
        "--log-every",
        "5",
        "--lr",
        "1e-2",
        "--seed",
        "7",
        "--budget-min",
        "5",
    ]


def test_a_few_steps_lower_the_loss_and_resume(tmp_path):
    summary = train.main(_args(tmp_path, 30))
    assert summary["steps"] == 30
    first = sum(summary["first_losses"]) / len(summary["first_losses"])
    last = sum(summary["last_losses"]) / len(summary["last_losses"])
    assert last < 0.7 * first, summary
    assert (tmp_path / "last.pt").exists() and (tmp_path / "best.pt").exists()
    log = (tmp_path / "train_log.tsv").read_text().splitlines()
    assert log[0].startswith("step\t") and len(log) >= 5
    resumed = train.main(_args(tmp_path, 33))
    assert resumed["steps"] == 33
    saved = json.loads((tmp_path / "summary.json").read_text())
    assert saved["samples_seen"] == 33 * 8


def test_export_matches_pytorch(tmp_path):
    import onnx  # noqa: F401  (the train extra carries it: torch.onnx.export needs it; fail loudly, never skip)

    from training.recognizer import export

    train.main(_args(tmp_path, 2))
    res = export.export(tmp_path / "last.pt", tmp_path / "m.onnx", tmp_path / "cs.txt")
    assert res["max_abs_diff"] < 1e-3 and res["argmax_agreement"] >= 0.999


def test_a_fine_tune_draws_lines_its_parent_never_saw():
    from training.recognizer.data import SyntheticLines

    state = {"samples": 10, "init_state": {"samples": 500, "init_state": {"samples": 2000}}}
    assert train.lineage_samples(state) == 2500
    assert train.lineage_samples({"samples": 10}) == 0

    def first_texts(stream):
        _x, _t, _tl, _il, texts = next(iter(SyntheticLines(4, 1234, 0, bucket=1, stream=stream)))
        return texts

    parent = first_texts(0)
    assert first_texts(0) == parent  # deterministic
    assert first_texts(2500) != parent


def test_render_workers_follow_the_cgroup_cpu_quota(tmp_path):
    seen = len(os.sched_getaffinity(0))
    cpu_max = tmp_path / "cpu.max"
    cpu_max.write_text("100000 100000\n")
    assert train.usable_cores(cpu_max) == 1
    cpu_max.write_text("max 100000\n")
    assert train.usable_cores(cpu_max) == seen
    assert train.usable_cores(tmp_path / "missing") == seen
