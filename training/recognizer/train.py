"""Train the CRNN recogniser on synthetic receipt lines within a wall-clock budget.

    python -m training.recognizer.train --out training/recognizer/runs/NAME --budget-min 7

Checkpoints (last.pt, best.pt) go to --out; a rerun with the same --out resumes from last.pt and
continues until the (total) budget is spent. Log: train_log.tsv (step, elapsed, samples, loss, lr,
validation CER). Runs on the CPU or, unchanged, on a CUDA GPU (bf16 autocast there).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader

from tasks.ocr.recognizer import STRIDE, ctc_greedy_decode, pad_batch

from . import fonts as fonts_mod
from .charset import build_charset
from .data import SyntheticLines, render_set
from .metrics import cer_table
from .model import ARCHS, CRNN, build


def lr_at(progress: float, peak: float, warmup: float = 0.03) -> float:
    if progress < warmup:
        return peak * max(progress / warmup, 0.01)
    p = min(1.0, (progress - warmup) / (1 - warmup))
    return peak * (0.03 + 0.97 * 0.5 * (1 + math.cos(math.pi * p)))


@torch.no_grad()
def validate(
    model: CRNN,
    val: list[tuple[np.ndarray, str]],
    charset: list[str],
    device: torch.device,
    batch_size: int = 128,
) -> dict[str, float]:
    model.eval()
    order = sorted(range(len(val)), key=lambda i: val[i][0].shape[1])
    hyps: dict[int, str] = {}
    for s in range(0, len(order), batch_size):
        idx = order[s : s + batch_size]
        lines = [val[i][0] for i in idx]
        x = torch.from_numpy(pad_batch(lines)).to(device)
        probs = torch.softmax(model(x).float(), dim=-1).cpu().numpy()
        lengths = [-(-ln.shape[1] // STRIDE) for ln in lines]
        for i, (text, _) in zip(idx, ctc_greedy_decode(probs, charset, lengths), strict=True):
            hyps[i] = text
    model.train()
    return cer_table((val[i][1], hyps[i]) for i in range(len(val)))


def lineage_samples(state: dict) -> int:
    """Samples seen by the weights this run started from (--init, and theirs in turn)."""
    total = 0
    parent = state.get("init_state")
    while isinstance(parent, dict):
        total += int(parent.get("samples", 0))
        parent = parent.get("init_state")
    return total


def usable_cores(cpu_max: Path = Path("/sys/fs/cgroup/cpu.max")) -> int:
    """Cores this process may use: its affinity, capped by a cgroup CPU quota (a container can see 16
    cores and be allowed 4, and 15 render workers on 4 cores starve the training loop)."""
    cores = len(os.sched_getaffinity(0))
    try:
        quota, period = cpu_max.read_text().split()[:2]
        if quota != "max":
            cores = min(cores, max(1, int(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return cores


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument(
        "--budget-min", type=float, default=7.0, help="total wall-clock training budget (minutes)"
    )
    ap.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (0 = budget only)")
    ap.add_argument("--batch-size", type=int, default=0, help="0 = 256 on CUDA, 32 on CPU")
    ap.add_argument("--workers", type=int, default=-1, help="DataLoader workers (-1 = usable cores - 1)")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--val-lines", type=int, default=512)
    ap.add_argument("--val-every-s", type=float, default=60.0)
    ap.add_argument("--ckpt-every-s", type=float, default=60.0)
    ap.add_argument("--log-every", type=int, default=50)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--arch", default="base", choices=sorted(ARCHS))
    ap.add_argument(
        "--hangul-focus", type=float, default=0.0, help="share of Hangul-heavy lines (fine-tuning for Hangul)"
    )
    ap.add_argument(
        "--heavy-blur",
        type=float,
        default=0.0,
        help="share of lines blurred like a shaky photo of small print (render._heavy_blur)",
    )
    ap.add_argument(
        "--init",
        type=Path,
        default=None,
        help="start from this checkpoint's weights (fresh optimizer and schedule; fine-tuning)",
    )
    ap.add_argument("--threads", type=int, default=0, help="torch CPU threads (0 = default)")
    args = ap.parse_args(argv)

    device = torch.device(
        "cuda"
        if (args.device == "auto" and torch.cuda.is_available())
        else (args.device if args.device != "auto" else "cpu")
    )
    cuda = device.type == "cuda"
    if args.threads:
        torch.set_num_threads(args.threads)
    bs = args.batch_size or (256 if cuda else 32)
    workers = args.workers if args.workers >= 0 else max(0, usable_cores() - 1)
    torch.manual_seed(args.seed)
    if cuda:
        torch.backends.cudnn.benchmark = False
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True

    charset = build_charset()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "charset.txt").write_text("".join(c + "\n" for c in charset), encoding="utf-8")
    model = build(args.arch, len(charset) + 1).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)

    state = {"step": 0, "elapsed": 0.0, "samples": 0, "segment": 0, "best_cer": 1e9}
    last = args.out / "last.pt"
    if args.init is not None and not last.exists():
        ck = torch.load(args.init, map_location=device, weights_only=False)
        model.load_state_dict(ck["model"])
        state["init"] = str(args.init)
        state["init_state"] = ck.get("state")
        print(f"initialised from {args.init}: {ck.get('state')}", flush=True)
    if last.exists():
        ck = torch.load(last, map_location=device, weights_only=False)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        state.update(ck["state"])
        state["segment"] += 1
        print(
            f"resumed from {last}: step {state['step']}, {state['elapsed']:.0f}s, {state['samples']} samples",
            flush=True,
        )

    budget_s = args.budget_min * 60.0
    print(
        f"device {device}, batch {bs}, workers {workers}, budget {budget_s:.0f}s, "
        f"params {sum(p.numel() for p in model.parameters()) / 1e6:.2f}M, classes {len(charset) + 1}",
        flush=True,
    )
    t_val0 = time.time()
    val = render_set(
        args.val_lines,
        fonts_mod.resolve(fonts_mod.EVAL_FONTS, required=2),
        seed=args.seed + 999,
        charset=charset,
    )
    print(f"validation set: {len(val)} lines in held-out fonts ({time.time() - t_val0:.1f}s)", flush=True)

    ds = SyntheticLines(
        bs,
        args.seed,
        state["segment"],
        hangul_focus=args.hangul_focus,
        stream=lineage_samples(state),
        heavy_blur=args.heavy_blur,
    )
    dl = DataLoader(
        ds,
        batch_size=None,
        num_workers=workers,
        pin_memory=cuda,
        multiprocessing_context=("spawn" if workers else None),
        prefetch_factor=(4 if workers else None),
        persistent_workers=bool(workers),
    )
    log_path = args.out / "train_log.tsv"
    new_log = not log_path.exists()
    log = log_path.open("a", encoding="utf-8")
    if new_log:
        log.write(
            "step\telapsed_s\tsamples\tloss\tlr\tval_cer\tval_cer_hangul\tval_cer_digits\tval_line_acc\n"
        )

    def save(path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        torch.save(
            {
                "model": model.state_dict(),
                "opt": opt.state_dict(),
                "state": state,
                "n_classes": len(charset) + 1,
                "arch": args.arch,
            },
            tmp,
        )
        tmp.replace(path)

    def do_val() -> dict[str, float]:
        m = validate(model, val, charset, device)
        if m["cer"] < state["best_cer"]:
            state["best_cer"] = m["cer"]
            save(args.out / "best.pt")
        return m

    model.train()
    t_start = time.time() - state["elapsed"]
    t_last_val = t_last_ck = time.time()
    losses: list[float] = []
    pending: list[torch.Tensor] = []  # this step's and earlier losses, still on the device

    def drain() -> None:
        if pending:
            losses.extend(torch.stack(pending).float().cpu().tolist())
            pending.clear()

    first_losses: list[float] = []
    m: dict[str, float] = {}
    wait = 0.0
    step_timing = ""
    it = iter(dl)
    while True:
        elapsed = time.time() - t_start
        if elapsed >= budget_s or (args.max_steps and state["step"] >= args.max_steps):
            break
        progress = state["step"] / args.max_steps if args.max_steps else elapsed / budget_s
        lr = lr_at(progress, args.lr)
        for g in opt.param_groups:
            g["lr"] = lr
        tw = time.time()
        x, targets, tlens, ilens, _texts = next(it)
        wait += time.time() - tw
        # once per log line on a GPU: is the step bound by the host (launches) or by the device?
        timed = cuda and (state["step"] + 1) % args.log_every == 0
        if timed:
            torch.cuda.synchronize()
            t_step = time.perf_counter()
        x = x.to(device, non_blocking=True)
        with torch.autocast(device_type="cuda", dtype=torch.bfloat16, enabled=cuda):
            logits = model(x)
        logp = torch.log_softmax(logits.float(), dim=-1).transpose(0, 1)  # T, N, C
        ilens = ilens.clamp(max=logp.shape[0])
        loss = ctc(logp, targets.to(device), ilens.to(device), tlens.to(device))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        if timed:
            launch_ms = (time.perf_counter() - t_step) * 1e3
            torch.cuda.synchronize()
            step_timing = f" step_ms={(time.perf_counter() - t_step) * 1e3:.0f} (host {launch_ms:.0f})"
        state["step"] += 1
        state["samples"] += x.shape[0]
        # the loss stays on the device until a log line: reading it every step would make the host wait
        # for the device each step instead of queueing the next one
        pending.append(loss.detach())
        now = time.time()
        state["elapsed"] = now - t_start
        if state["step"] % args.log_every == 0 or len(first_losses) < 5:
            drain()
            while len(first_losses) < 5 and len(first_losses) < len(losses):
                first_losses.append(losses[len(first_losses)])
        if state["step"] % args.log_every == 0:
            ml = float(np.mean(losses[-args.log_every :]))
            row = [state["step"], f"{state['elapsed']:.1f}", state["samples"], f"{ml:.4f}", f"{lr:.2e}"]
            if now - t_last_val >= args.val_every_s:
                m = do_val()
                t_last_val = time.time()
                row += [
                    f"{m['cer']:.4f}",
                    f"{m['cer_hangul']:.4f}",
                    f"{m['cer_digits']:.4f}",
                    f"{m['line_acc']:.3f}",
                ]
            else:
                row += ["", "", "", ""]
            log.write("\t".join(map(str, row)) + "\n")
            log.flush()
            print(
                f"step {state['step']} t={state['elapsed']:.0f}s samples={state['samples']} loss={ml:.3f} "
                f"lr={lr:.1e} data_wait={wait:.0f}s{step_timing}"
                + (f" val_cer={m['cer']:.4f}" if row[5] else ""),
                flush=True,
            )
        if now - t_last_ck >= args.ckpt_every_s:
            save(last)
            t_last_ck = time.time()

    drain()
    m = do_val()
    log.write(
        "\t".join(
            map(
                str,
                [
                    state["step"],
                    f"{state['elapsed']:.1f}",
                    state["samples"],
                    f"{np.mean(losses[-args.log_every :]) if losses else float('nan'):.4f}",
                    "",
                    f"{m['cer']:.4f}",
                    f"{m['cer_hangul']:.4f}",
                    f"{m['cer_digits']:.4f}",
                    f"{m['line_acc']:.3f}",
                ],
            )
        )
        + "\n"
    )
    log.close()
    save(last)
    summary = {
        "device": str(device) + (f" ({torch.cuda.get_device_name(0)})" if cuda else ""),
        "torch": torch.__version__,
        "steps": state["step"],
        "elapsed_s": round(state["elapsed"], 1),
        "samples_seen": state["samples"],
        "batch_size": bs,
        "workers": workers,
        "seed": args.seed,
        "hangul_focus": args.hangul_focus,
        "heavy_blur": args.heavy_blur,
        "budget_min": args.budget_min,
        "data_wait_s_this_segment": round(wait, 1),
        "first_losses": first_losses,
        "last_losses": losses[-5:],
        "last_loss": float(np.mean(losses[-20:])) if losses else None,
        "final_val": m,
        "best_val_cer": state["best_cer"],
        "train_fonts": fonts_mod.TRAIN_FONTS,
        "eval_fonts": fonts_mod.EVAL_FONTS,
    }
    (args.out / "summary.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    print(
        json.dumps(
            {k: summary[k] for k in ("steps", "elapsed_s", "samples_seen", "final_val")}, ensure_ascii=False
        ),
        flush=True,
    )
    return summary


if __name__ == "__main__":
    main()
