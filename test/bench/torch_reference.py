"""The extension's models in PyTorch, as the yardstick for the TF.js benchmark (test/bench/run.ts).

Same models, split and optimiser as the extension. --model mlp (the seed model): Flatten, Linear
784-256, ReLU, Dropout 0.2, Linear 256-10. --model cnn: the convolutional preset, its layers given
by --cnn-layout as the extension defines them (CNN_LAYOUT in src/shared/ml/model.ts). Cross-entropy
on the logits (softmax plus cross-entropy, as Keras computes it), Adam at the preset's learning rate (--lr, decayed per epoch by --lr-decay),
Keras' initialisers, the last 20% of the training set for validation, shuffled every epoch,
validated after every epoch at the training batch size.

Two ways of feeding batches are timed: "tensor" slices the data held in memory (the fastest way
to write it) and "dataloader" is torch.utils.data.DataLoader over a TensorDataset, as PyTorch's
tutorials write it.

Default: times a fixed number of batches and one validation pass, extrapolated to an epoch.
--full: trains every epoch in full, then reports the accuracy on the 10,000 test images.
Prints one JSON document on stdout.
"""
import argparse
import gzip
import json
import os
import time

import numpy as np
import torch
from torch import nn

DATA_DIR = "/usr/share/datasets/fashion-mnist"
VALIDATION_FRACTION = 0.2
# PyTorch's own default here: one thread per core of the development machine.
THREADS = 2
# Timing windows per sampled run: a burst of other work on the machine spoils one window, not the figure.
WINDOWS = 5


def read_idx(path, header_bytes):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header_bytes)


def load_set(data_dir, prefix):
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"), 16)
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"), 8)
    x = torch.from_numpy(images.reshape(-1, 28, 28).astype(np.float32) / 255.0)
    return x, torch.from_numpy(labels.astype(np.int64))


def create_mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))


def create_cnn(layout):
    """The convolutional preset: blocks of Conv2d (BatchNorm) ReLU MaxPool 2, then Dense, Dropout, Dense."""
    layers = [nn.Unflatten(1, (1, 28))]
    channels, side = 1, 28
    padding = layout["kernelSize"] // 2 if layout["padding"] == "same" else 0
    for filters in layout["filters"]:
        layers.append(nn.Conv2d(channels, filters, layout["kernelSize"], padding=padding, bias=not layout["batchNorm"]))
        if layout["batchNorm"]:
            # Keras' defaults: momentum 0.99 (PyTorch counts it as 0.01), epsilon 1e-3.
            layers.append(nn.BatchNorm2d(filters, momentum=0.01, eps=1e-3))
        layers += [nn.ReLU(), nn.MaxPool2d(2)]
        side = (side - (0 if padding else layout["kernelSize"] - 1)) // 2
        channels = filters
    layers += [
        nn.Flatten(),
        nn.Linear(channels * side * side, layout["dense"]),
        nn.ReLU(),
        nn.Dropout(layout["dropout"]),
        nn.Linear(layout["dense"], 10),
    ]
    return nn.Sequential(*layers)


def create_model(name, layout):
    model = create_cnn(layout) if name == "cnn" else create_mlp()
    # Keras' defaults (glorot_uniform, zero bias), so both frameworks start from the same kind of weights.
    for layer in model:
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(layer.weight)
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)
    return model


def batches(x, y, batch_size, loader):
    """Shuffled batches for one epoch."""
    if loader == "dataloader":
        return iter(torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=batch_size, shuffle=True))
    order = torch.randperm(len(y))
    return ((x[idx], y[idx]) for idx in torch.split(order, batch_size))


def train_batches(model, optimiser, batch_iter, count):
    """Trains on `count` batches (all when None); reads loss and accuracy per batch, as Keras does."""
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    done = 0
    for xb, yb in batch_iter:
        optimiser.zero_grad()
        logits = model(xb)
        loss = loss_fn(logits, yb)
        loss.backward()
        optimiser.step()
        loss.item()
        (logits.argmax(1) == yb).float().mean().item()
        done += 1
        if count is not None and done >= count:
            break
    return done


@torch.no_grad()
def evaluate(model, x, y, batch_size):
    model.eval()
    right = 0
    for start in range(0, len(y), batch_size):
        logits = model(x[start : start + batch_size])
        right += (logits.argmax(1) == y[start : start + batch_size]).sum().item()
    return right / len(y)


def sample_run(train, val, batch_size, loader, batches_timed, warmup, make_model):
    """Times batches in windows and extrapolates the median window, as the browser benchmark does."""
    model = make_model()
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    per_epoch = -(-len(train[1]) // batch_size)
    window = max(1, min(batches_timed, per_epoch - warmup) // WINDOWS)
    batch_iter = batches(*train, batch_size, loader)
    train_batches(model, optimiser, batch_iter, warmup)
    window_seconds = []
    for _ in range(WINDOWS):
        start = time.perf_counter()
        train_batches(model, optimiser, batch_iter, window)
        window_seconds.append(time.perf_counter() - start)
    seconds_per_batch = sorted(window_seconds)[WINDOWS // 2] / window
    start = time.perf_counter()
    evaluate(model, *val, batch_size)
    validation_seconds = time.perf_counter() - start
    timed = window * WINDOWS
    return {
        "batchSize": batch_size,
        "loader": loader,
        "extrapolated": True,
        "note": f"extrapolated from {timed} batches (after {warmup} warm-up; median of {WINDOWS} windows) to {per_epoch} batches per epoch",
        "batchesTimed": timed,
        "samplesPerSecond": batch_size / seconds_per_batch,
        "meanSamplesPerSecond": timed * batch_size / sum(window_seconds),
        "trainSecondsPerEpoch": seconds_per_batch * per_epoch,
        "validationSeconds": validation_seconds,
        "secondsPerEpoch": seconds_per_batch * per_epoch + validation_seconds,
    }


def full_run(train, val, test, batch_size, loader, epochs, make_model, lr, lr_decay):
    model = make_model()
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    # Epoch e at lr * lr_decay^(e-1), as the extension's learningRateDecay setting.
    schedule = torch.optim.lr_scheduler.ExponentialLR(optimiser, gamma=lr_decay)
    history = []
    for epoch in range(epochs):
        start = time.perf_counter()
        count = train_batches(model, optimiser, batches(*train, batch_size, loader), None)
        schedule.step()
        train_seconds = time.perf_counter() - start
        val_accuracy = evaluate(model, *val, batch_size)
        seconds = time.perf_counter() - start
        history.append({"epoch": epoch + 1, "seconds": seconds, "trainSeconds": train_seconds, "valAccuracy": val_accuracy})
    epoch_seconds = [h["seconds"] for h in history]
    return {
        "batchSize": batch_size,
        "loader": loader,
        "extrapolated": False,
        "epochs": history,
        "samplesPerSecond": len(train[1]) * epochs / sum(h["trainSeconds"] for h in history),
        "secondsPerEpoch": sum(epoch_seconds) / epochs,
        "testAccuracy": evaluate(model, *test, 512),
        "testExamples": len(test[1]),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="train full epochs and report test accuracy")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--lr", type=float, default=1e-3, help="Adam's learning rate")
    parser.add_argument("--lr-decay", type=float, default=1.0, help="learning rate factor per epoch")
    parser.add_argument("--batch-sizes", default="32,128")
    parser.add_argument("--loaders", default="tensor,dataloader")
    parser.add_argument("--batches", type=int, default=600, help="batches timed per run without --full")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--data", default=DATA_DIR)
    parser.add_argument("--model", choices=["mlp", "cnn"], default="mlp")
    parser.add_argument("--cnn-layout", default="{}", help="the CNN's layers as JSON (CNN_LAYOUT)")
    parser.add_argument("--threads", type=int, default=THREADS, help="PyTorch's intra-op threads")
    args = parser.parse_args()
    layout = json.loads(args.cnn_layout)

    def make_model():
        return create_model(args.model, layout)

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    x, y = load_set(args.data, "train")
    split_at = int(len(y) * (1 - VALIDATION_FRACTION))
    train, val = (x[:split_at], y[:split_at]), (x[split_at:], y[split_at:])
    test = load_set(args.data, "t10k") if args.full else None

    runs = []
    for loader in args.loaders.split(","):
        for batch_size in (int(b) for b in args.batch_sizes.split(",")):
            if args.full:
                runs.append(full_run(train, val, test, batch_size, loader, args.epochs, make_model, args.lr, args.lr_decay))
            else:
                runs.append(sample_run(train, val, batch_size, loader, args.batches, args.warmup, make_model))
    print(json.dumps({
        "framework": "pytorch",
        "model": args.model,
        "version": torch.__version__,
        "threads": torch.get_num_threads(),
        "mode": "full" if args.full else "sample",
        "trainExamples": split_at,
        "validationExamples": len(y) - split_at,
        "runs": runs,
    }, indent=2))


if __name__ == "__main__":
    main()
