#!/usr/bin/env python3
"""PyTorch CPU baseline for the twoheads MNIST model.

Same model and data as the Go side (mlcore.MNISTConfig): per head
Linear(784,128) -> ReLU -> Linear(128,10), Adam lr 1e-3, batch 128, the final
partial batch of each epoch dropped, a fresh seeded shuffle each epoch.

  softmax head: CrossEntropyLoss on the logits
  sigmoid head: BCEWithLogitsLoss (mean over batch x 10) against one-hot targets
  accuracy: argmax of the logits on the 10,000 test images (same for both heads)

Measurements (see bench/README.md):
  --steps N        steps/s: 20 warm-up steps, then N timed steps, no eval.
  --target-acc A   time-to-accuracy: train from scratch, evaluate every
                   --eval-every steps until test accuracy >= A (or
                   --max-epochs). Timed without the evaluations.
                   A is one number or per head: softmax=0.98,sigmoid=0.975.
  --both-in-one    also train both heads in one step: one loss
                   (loss_softmax + loss_sigmoid), one Adam over both models.
Each run starts from a fresh model made with the same seed.
"""

import argparse
import gzip
import json
import os
import platform
import struct
import subprocess
import sys
import time

import numpy as np
import torch
from torch import nn

HEADS = ("softmax", "sigmoid")
WARMUP_STEPS = 20
MNIST_MODULE_DIR = "github.com/petar/!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63/data"


def default_mnist_dir():
    try:
        cache = subprocess.run(["go", "env", "GOMODCACHE"], capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        cache = os.path.join(os.path.expanduser("~"), "go", "pkg", "mod")
    return os.path.join(cache, MNIST_MODULE_DIR)


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(dims)):
        raise ValueError(f"{path}: {arr.size} bytes of data, header says {dims}")
    return arr.reshape(dims)


def load_mnist(d):
    def split(prefix):
        x = read_idx(os.path.join(d, f"{prefix}-images-idx3-ubyte.gz"))
        y = read_idx(os.path.join(d, f"{prefix}-labels-idx1-ubyte.gz"))
        if len(x) != len(y):
            raise ValueError(f"{prefix}: {len(x)} images but {len(y)} labels")
        x = torch.from_numpy(x.reshape(len(x), -1).astype(np.float32) / np.float32(255.0))
        return x.contiguous(), torch.from_numpy(y.astype(np.int64))
    return split("train") + split("t10k")


class CPUWatch:
    """How busy the rest of the machine was during a timed section: the CPU
    time that other processes used, in cores (0 = quiet machine). Read from
    /proc/stat; None where that is missing. The box has only 2 cores, so
    another build running at the same time ruins a measurement -- and with
    --threads 2 an OpenMP thread that loses its core stalls every step."""

    def __init__(self):
        self.t0 = time.perf_counter()
        self.busy0 = self._busy()
        self.own0 = time.process_time()

    @staticmethod
    def _busy():
        try:
            with open("/proc/stat") as f:
                v = [int(x) for x in f.readline().split()[1:]]
        except (OSError, ValueError):
            return None
        idle = v[3] + (v[4] if len(v) > 4 else 0)
        return (sum(v[:8]) - idle) / os.sysconf("SC_CLK_TCK")

    def other_cores(self):
        busy = self._busy()
        wall = time.perf_counter() - self.t0
        if busy is None or self.busy0 is None or wall <= 0:
            return None
        other = (busy - self.busy0) - (time.process_time() - self.own0)
        return round(max(other, 0.0) / wall, 3)


def make_model(hidden):
    return nn.Sequential(nn.Linear(784, hidden), nn.ReLU(), nn.Linear(hidden, 10))


def make_adam(params, lr, impl):
    kw = {}
    if impl == "foreach":
        kw["foreach"] = True
    elif impl == "fused":
        kw["fused"] = True
    return torch.optim.Adam(params, lr=lr, **kw)


def head_loss(head, logits, y, y1h):
    if head == "softmax":
        return nn.functional.cross_entropy(logits, y)
    return nn.functional.binary_cross_entropy_with_logits(logits, y1h)


@torch.no_grad()
def accuracy(model, x, y):
    model.eval()
    acc = (model(x).argmax(dim=1) == y).float().mean().item()
    model.train()
    return acc


class Batches:
    """Endless stream of training batches: a fresh seeded permutation each
    epoch, the final partial batch dropped (as mlcore does)."""

    def __init__(self, x, y, batch, seed):
        self.x, self.y, self.batch = x, y, batch
        self.per_epoch = len(x) // batch
        self.gen = torch.Generator().manual_seed(seed)
        self.epoch, self.i, self.perm = 0, self.per_epoch, None

    def next(self):
        if self.i == self.per_epoch:
            self.perm = torch.randperm(len(self.x), generator=self.gen)
            self.epoch += 1
            self.i = 0
        idx = self.perm[self.i * self.batch:(self.i + 1) * self.batch]
        self.i += 1
        y = self.y[idx]
        return self.x[idx], y, nn.functional.one_hot(y, 10).float()

    def epochs_done(self):
        """Fractional epochs consumed so far."""
        return (self.epoch - 1) + self.i / self.per_epoch if self.perm is not None else 0.0


class Trainer:
    """One training setup: a single head, or 'both' (both heads' models,
    summed loss, one optimizer)."""

    def __init__(self, name, args):
        self.name = name
        self.heads = HEADS if name == "both" else (name,)
        torch.manual_seed(args.seed)
        # Same seed for each head's model, as the Go side starts both from the same init.
        self.models = {}
        for h in self.heads:
            torch.manual_seed(args.seed)
            self.models[h] = make_model(args.hidden)
        params = [p for m in self.models.values() for p in m.parameters()]
        self.opt = make_adam(params, args.lr, args.adam)

    def step(self, xb, yb, y1h):
        self.opt.zero_grad(set_to_none=True)
        loss = None
        for h, m in self.models.items():
            l = head_loss(h, m(xb), yb, y1h)
            loss = l if loss is None else loss + l
        loss.backward()
        self.opt.step()
        return loss

    def accuracies(self, x, y):
        return {h: accuracy(m, x, y) for h, m in self.models.items()}


def run_steps(name, args, data):
    xtr, ytr, xte, yte = data
    t = Trainer(name, args)
    b = Batches(xtr, ytr, args.batch, args.seed)
    for _ in range(WARMUP_STEPS):
        t.step(*b.next())
    w = CPUWatch()
    t0 = time.perf_counter()
    for _ in range(args.steps):
        loss = t.step(*b.next())
    dt = time.perf_counter() - t0
    other = w.other_cores()
    return {
        "steps": args.steps,
        "warmup_steps": WARMUP_STEPS,
        "seconds": dt,
        "steps_per_sec": args.steps / dt,
        "final_loss": loss.item(),
        "other_busy_cores": other,
        "test_accuracy_after": t.accuracies(xte, yte),
    }


def run_target(name, args, data, targets):
    """Train until every head of this trainer reached its target (or max epochs).
    Time counts training only (evaluations excluded) from the first step."""
    xtr, ytr, xte, yte = data
    t = Trainer(name, args)
    b = Batches(xtr, ytr, args.batch, args.seed)
    max_steps = args.max_epochs * b.per_epoch
    reached = {}          # head -> (steps, train seconds, wall seconds, epochs, acc)
    train_s = 0.0         # training time so far, evals excluded
    warm_train_s = None   # training time at the end of the warm-up
    eval_s = 0.0
    history = []
    w = CPUWatch()
    wall0 = time.perf_counter()
    step = 0
    acc = {}
    while step < max_steps and len(reached) < len(t.heads):
        n = min(args.eval_every, max_steps - step)
        t0 = time.perf_counter()
        for _ in range(n):
            loss = t.step(*b.next())
            step += 1
            if step == WARMUP_STEPS:
                warm_train_s = train_s + (time.perf_counter() - t0)
        train_s += time.perf_counter() - t0
        e0 = time.perf_counter()
        acc = t.accuracies(xte, yte)
        eval_s += time.perf_counter() - e0
        history.append({"step": step, "epoch": round(b.epochs_done(), 3),
                        "loss": loss.item(), "test_accuracy": acc})
        if args.verbose:
            print(f"  [{name}] step {step:6d} epoch {b.epochs_done():6.2f} loss {loss.item():.4f} "
                  f"acc {' '.join(f'{h}={a:.4f}' for h, a in acc.items())}", file=sys.stderr)
        for h in t.heads:
            if h not in reached and acc[h] >= targets[h]:
                reached[h] = (step, train_s, time.perf_counter() - wall0, b.epochs_done(), acc[h])
    out = {"heads": {}, "steps_run": step, "epochs_run": round(b.epochs_done(), 3),
           "train_seconds": train_s, "eval_seconds": eval_s,
           "eval_every": args.eval_every, "other_busy_cores": w.other_cores(),
           "history": history}
    if warm_train_s is not None and step > WARMUP_STEPS:
        out["steps_per_sec"] = (step - WARMUP_STEPS) / (train_s - warm_train_s)
    for h in t.heads:
        r = reached.get(h)
        out["heads"][h] = {
            "target_accuracy": targets[h],
            "reached": r is not None,
            "steps_to_target": r[0] if r else None,
            "time_to_target_seconds": r[1] if r else None,
            "wall_to_target_seconds_incl_eval": r[2] if r else None,
            "epochs_to_target": round(r[3], 3) if r else None,
            "accuracy_at_target": r[4] if r else None,
            "final_test_accuracy": acc.get(h),
        }
    return out


def parse_targets(s):
    if s is None:
        return None
    if "=" not in s:
        v = float(s)
        return {h: v for h in HEADS}
    out = {}
    for part in s.split(","):
        h, v = part.split("=")
        h = h.strip().lower()
        if h not in HEADS:
            raise SystemExit(f"--target-acc: unknown head {h!r}")
        out[h] = float(v)
    missing = [h for h in HEADS if h not in out]
    if missing:
        raise SystemExit(f"--target-acc: no target for {', '.join(missing)}")
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mnist-dir", default=None,
                   help="directory with the 4 MNIST IDX .gz files (default: $(go env GOMODCACHE)/" + MNIST_MODULE_DIR + ")")
    p.add_argument("--heads", default="softmax,sigmoid", help="comma-separated heads to train, each on its own")
    p.add_argument("--both-in-one", action="store_true",
                   help="also train both heads together: summed loss, one optimizer")
    p.add_argument("--steps", type=int, default=0, help="timed steps for the steps/s measurement (0: skip)")
    p.add_argument("--target-acc", default=None,
                   help="test accuracy to reach: 0.975 or softmax=0.98,sigmoid=0.975")
    p.add_argument("--eval-every", type=int, default=200)
    p.add_argument("--max-epochs", type=int, default=30)
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--adam", choices=["default", "foreach", "fused"], default="default",
                   help="Adam implementation (default: PyTorch's choice, the per-tensor loop on CPU)")
    p.add_argument("--json", default=None, help="write the results as JSON here")
    p.add_argument("-v", "--verbose", action="store_true", help="print each evaluation to stderr")
    args = p.parse_args()

    heads = [h.strip().lower() for h in args.heads.split(",") if h.strip()]
    for h in heads:
        if h not in HEADS:
            p.error(f"unknown head {h!r}: want softmax or sigmoid")
    targets = parse_targets(args.target_acc)
    if not args.steps and targets is None:
        p.error("give --steps and/or --target-acc")

    torch.set_num_threads(args.threads)
    mnist_dir = args.mnist_dir or default_mnist_dir()
    t0 = time.perf_counter()
    data = load_mnist(mnist_dir)
    load_s = time.perf_counter() - t0
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"MNIST {len(data[0])}/{len(data[2])} from {mnist_dir} ({load_s:.1f}s)", file=sys.stderr)

    result = {
        "torch_version": torch.__version__,
        "python_version": platform.python_version(),
        "threads": torch.get_num_threads(),
        "cpu_count": os.cpu_count(),
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "config": {"hidden": args.hidden, "batch": args.batch, "lr": args.lr, "seed": args.seed,
                   "adam": args.adam, "steps": args.steps, "warmup_steps": WARMUP_STEPS,
                   "target_acc": targets, "eval_every": args.eval_every, "max_epochs": args.max_epochs},
        "mnist_dir": mnist_dir,
        "heads": {},
    }
    runs = list(heads) + (["both"] if args.both_in_one else [])
    for name in runs:
        r = {"threads": torch.get_num_threads(), "torch_version": torch.__version__}
        if args.steps:
            s = run_steps(name, args, data)
            r["steps_per_sec"] = s["steps_per_sec"]
            r["steps_run"] = s
            print(f"{name:8s} steps/s {s['steps_per_sec']:8.1f}  ({args.steps} steps in {s['seconds']:.2f}s; "
                  f"other processes used {s['other_busy_cores']} cores)", file=sys.stderr)
        if targets is not None:
            tr = run_target(name, args, data, targets)
            r["target_run"] = tr
            print(f"{name:8s} target run: {tr['steps_run']} steps, {tr.get('steps_per_sec', 0):.1f} steps/s, "
                  f"other processes used {tr['other_busy_cores']} cores", file=sys.stderr)
            if "steps_per_sec" not in r and "steps_per_sec" in tr:
                r["steps_per_sec"] = tr["steps_per_sec"]
            for h, hr in tr["heads"].items():
                if name == "both":
                    r.setdefault("per_head", {})[h] = hr
                else:
                    r.update(hr)
                ttt = hr["time_to_target_seconds"]
                print(f"{name:8s} {h}: target {hr['target_accuracy']:.4f} "
                      + (f"reached at step {hr['steps_to_target']} (epoch {hr['epochs_to_target']:.2f}) "
                         f"in {ttt:.2f}s train ({hr['wall_to_target_seconds_incl_eval']:.2f}s with evals)"
                         if hr["reached"] else f"NOT reached in {args.max_epochs} epochs")
                      + f"; final acc {hr['final_test_accuracy']:.4f}", file=sys.stderr)
        result["heads"][name] = r

    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
