#!/usr/bin/python3
"""Real training jobs for judging the checkpoint to keep against a test set (issue 23).

Runs small PyTorch jobs on datasets bundled with scikit-learn (digits, wine, breast cancer,
diabetes) and a generated one, over architectures, optimizers, learning-rate schedules,
label-noise levels and seeds. Each job, as it trains, writes its curves as TensorBoard event
files the Keras way (LOGDIR/JOB/train and LOGDIR/JOB/validation, tag epoch_loss, one event per
epoch) and records per epoch the train and validation loss and the test loss and metric of that
epoch's weights. The histories go to one JSON line per job, so scoring never needs torch.

Needs Debian's python3-torch and python3-sklearn (run with /usr/bin/python3):

  /usr/bin/python3 tools/checkpoint_bench/run_jobs.py OUT.jsonl [--logdir DIR] [--seeds 4] [--jobs N]
"""
import argparse, itertools, json, math, os, struct, sys, time

import numpy as np
import torch
from sklearn import datasets
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

# --- a minimal TFRecord / Event writer (the framing TensorFlow documents) -----------------------
def _table():
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        t.append(c)
    return t
_T = _table()

def _crc32c(b):
    c = 0xFFFFFFFF
    for x in b:
        c = _T[(c ^ x) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF

def _masked(b):
    c = _crc32c(b)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF

def _varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F; n >>= 7
        if n: out.append(b | 0x80)
        else: out.append(b); return bytes(out)

def _field(num, wire, payload):
    key = _varint((num << 3) | wire)
    return key + (_varint(len(payload)) + payload if wire == 2 else payload)

class EventWriter:
    """Appends Events to events.out.tfevents.* in DIR, flushing after each (as a live job does)."""
    def __init__(self, directory, wall_time):
        os.makedirs(directory, exist_ok=True)
        self.f = open(os.path.join(directory, f"events.out.tfevents.{int(wall_time)}.bench.1.v2"), "wb")
        self._write(_field(1, 1, struct.pack("<d", wall_time)) + _field(3, 2, b"brain.Event:2"))

    def _write(self, data):
        head = struct.pack("<Q", len(data))
        self.f.write(head + struct.pack("<I", _masked(head)) + data + struct.pack("<I", _masked(data)))
        self.f.flush()

    def scalar(self, tag, step, wall_time, value):
        v = _field(1, 2, tag.encode()) + _field(2, 5, struct.pack("<f", value))
        self._write(_field(1, 1, struct.pack("<d", wall_time)) + _field(2, 0, _varint(step))
                    + _field(5, 2, _field(1, 2, v)))

    def close(self):
        self.f.close()

# --- datasets ------------------------------------------------------------------------------------
def load(name, seed):
    if name == "digits":
        X, y = datasets.load_digits(return_X_y=True); task = "classification"
    elif name == "wine":
        X, y = datasets.load_wine(return_X_y=True); task = "classification"
    elif name == "breast_cancer":
        X, y = datasets.load_breast_cancer(return_X_y=True); task = "classification"
    elif name == "diabetes":
        X, y = datasets.load_diabetes(return_X_y=True); task = "regression"
    elif name == "generated":
        X, y = datasets.make_classification(n_samples=1500, n_features=30, n_informative=10,
                                            n_classes=4, flip_y=0.05, random_state=1234); task = "classification"
    else:
        raise ValueError(name)
    X_train, X_rest, y_train, y_rest = train_test_split(X, y, test_size=0.5, random_state=seed,
                                                        stratify=y if task == "classification" else None)
    X_val, X_test, y_val, y_test = train_test_split(X_rest, y_rest, test_size=0.55, random_state=seed,
                                                    stratify=y_rest if task == "classification" else None)
    scaler = StandardScaler().fit(X_train)
    X_train, X_val, X_test = (scaler.transform(a) for a in (X_train, X_val, X_test))
    if task == "regression":
        mu, sd = y_train.mean(), y_train.std()
        y_train, y_val, y_test = ((a - mu) / sd for a in (y_train, y_val, y_test))
    return task, (X_train, y_train), (X_val, y_val), (X_test, y_test)

# --- one job -------------------------------------------------------------------------------------
def run_job(cfg, logdir):
    seed = cfg["seed"]
    torch.manual_seed(seed); np.random.seed(seed)
    task, train, val, test = load(cfg["dataset"], seed)
    X_train, y_train = train
    if task == "classification" and cfg["label_noise"] > 0:
        rng = np.random.default_rng(seed)
        classes = np.unique(y_train)
        flip = rng.random(len(y_train)) < cfg["label_noise"]
        y_train = y_train.copy()
        y_train[flip] = rng.choice(classes, flip.sum())
    t = lambda a, f=torch.float32: torch.tensor(a, dtype=f)
    ytype = torch.long if task == "classification" else torch.float32
    Xtr, ytr = t(X_train), t(y_train, ytype)
    Xva, yva = t(val[0]), t(val[1], ytype)
    Xte, yte = t(test[0]), t(test[1], ytype)
    n_out = int(max(y_train.max(), val[1].max(), test[1].max()) + 1) if task == "classification" else 1
    width, depth = cfg["width"], cfg["depth"]
    layers, d = [], Xtr.shape[1]
    for _ in range(depth):
        layers += [torch.nn.Linear(d, width), torch.nn.ReLU()]
        d = width
    layers.append(torch.nn.Linear(d, n_out))
    model = torch.nn.Sequential(*layers)
    if cfg["optimizer"] == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
    else:
        opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=0.9)
    # Schedules that differ from the constant rate from the first epochs on, where stops happen.
    if cfg["schedule"] == "step":
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=15, gamma=0.5)
    elif cfg["schedule"] == "cosine":
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=cfg["epochs"])
    else:
        sched = None
    loss_fn = torch.nn.CrossEntropyLoss() if task == "classification" else torch.nn.MSELoss()

    def evaluate(X, y):
        with torch.no_grad():
            out = model(X)
            if task == "classification":
                return float(loss_fn(out, y)), float((out.argmax(1) == y).float().mean())
            out = out.squeeze(1)
            return float(loss_fn(out, y)), float(loss_fn(out, y))  # metric: MSE
    name = cfg["name"]
    t0 = 1.7e9
    writers = None
    if logdir:
        writers = {"train": EventWriter(os.path.join(logdir, name, "train"), t0),
                   "validation": EventWriter(os.path.join(logdir, name, "validation"), t0)}
    hist = {"train_loss": [], "val_loss": [], "test_loss": [], "test_metric": []}
    g = torch.Generator().manual_seed(seed)
    for epoch in range(cfg["epochs"]):
        model.train()
        perm = torch.randperm(len(Xtr), generator=g)
        total = 0.0
        for i in range(0, len(Xtr), cfg["batch"]):
            idx = perm[i:i + cfg["batch"]]
            opt.zero_grad()
            out = model(Xtr[idx])
            loss = loss_fn(out if task == "classification" else out.squeeze(1), ytr[idx])
            loss.backward(); opt.step()
            total += float(loss) * len(idx)
        if sched: sched.step()
        model.eval()
        train_loss = total / len(Xtr)
        val_loss, _ = evaluate(Xva, yva)
        test_loss, test_metric = evaluate(Xte, yte)
        for k, v in (("train_loss", train_loss), ("val_loss", val_loss), ("test_loss", test_loss), ("test_metric", test_metric)):
            hist[k].append(round(v, 6))
        if writers:
            writers["train"].scalar("epoch_loss", epoch, t0 + epoch, train_loss)
            writers["validation"].scalar("epoch_loss", epoch, t0 + epoch, val_loss)
    if writers:
        for w in writers.values(): w.close()
    return {"name": name, "config": cfg, "task": task, "metric": "accuracy" if task == "classification" else "mse", **hist}

def grid(seeds):
    """The job grid: every dataset with a spread of models, optimizers, schedules and noise."""
    jobs = []
    shapes = [(64, 1), (128, 2)]
    opts = [("adam", 1e-3), ("sgd", 0.05)]
    for dataset, noise, (width, depth), (opt, lr), schedule, seed in itertools.product(
            ["digits", "wine", "breast_cancer", "diabetes", "generated"], [0.0, 0.25],
            shapes, opts, ["constant", "step", "cosine"], range(seeds)):
        if dataset == "diabetes" and noise > 0:
            continue  # regression: no label noise
        epochs = 150
        name = f"{dataset}-n{int(noise*100)}-w{width}d{depth}-{opt}-{schedule}-s{seed}"
        jobs.append(dict(name=name, dataset=dataset, label_noise=noise, width=width, depth=depth,
                         optimizer=opt, lr=lr, schedule=schedule, epochs=epochs, batch=32, seed=seed))
    return jobs

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--logdir")
    ap.add_argument("--seeds", type=int, default=4)
    ap.add_argument("--jobs", type=int, default=0, help="run only the first N jobs (0: all)")
    a = ap.parse_args()
    torch.set_num_threads(1)
    jobs = grid(a.seeds)
    if a.jobs: jobs = jobs[: a.jobs]
    start = time.time()
    with open(a.out, "w") as out:
        for i, cfg in enumerate(jobs):
            out.write(json.dumps(run_job(cfg, a.logdir)) + "\n")
            out.flush()
            print(f"{i + 1}/{len(jobs)} {cfg['name']} ({time.time() - start:.0f} s)", file=sys.stderr)

if __name__ == "__main__":
    main()
