"""Test accuracy of a model the extension saved, computed without TF.js or the extension's code.

Reads the run folder's model.json (the Keras topology TF.js writes) and weights.bin, runs the
layers in NumPy on Fashion-MNIST's 10,000 test images from the Debian package, and prints one
JSON document: {"accuracy": ..., "correct": ..., "count": ..., "layers": [...]}.

    python3 test/bench/evaluate_saved.py <run folder> [--data-dir DIR]

Layers understood: Reshape, Flatten, Dense, Dropout (inference: nothing), Conv2D (stride 1,
"same" or "valid"), MaxPooling2D (2 × 2, stride 2), BatchNormalization, Activation; activations
relu, softmax and linear. Anything else stops with an error rather than a wrong figure.
"""
import argparse
import gzip
import json
import os
import sys

import numpy as np

DATA_DIR = "/usr/share/datasets/fashion-mnist"
# Images per chunk: the convolutions' patches of a chunk stay within a few hundred MB.
CHUNK = 500


def read_idx(path, header_bytes):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header_bytes)


def load_test_set(data_dir):
    images = read_idx(os.path.join(data_dir, "t10k-images-idx3-ubyte.gz"), 16)
    labels = read_idx(os.path.join(data_dir, "t10k-labels-idx1-ubyte.gz"), 8)
    return images.reshape(-1, 28, 28).astype(np.float32) / 255.0, labels.astype(np.int64)


def read_weights(folder, model_json):
    """Every weight by its name, in the order and shapes the manifest gives."""
    weights = {}
    for group in model_json["weightsManifest"]:
        data = b"".join(open(os.path.join(folder, path), "rb").read() for path in group["paths"])
        offset = 0
        for spec in group["weights"]:
            if spec.get("dtype", "float32") != "float32":
                sys.exit(f"weight {spec['name']} is {spec['dtype']}; only float32 is read here")
            count = int(np.prod(spec["shape"])) if spec["shape"] else 1
            weights[spec["name"]] = np.frombuffer(data, dtype="<f4", count=count, offset=offset).reshape(spec["shape"])
            offset += count * 4
    return weights


def layer_list(model_json):
    topology = model_json["modelTopology"]
    topology = topology.get("model_config", topology)
    if topology["class_name"] != "Sequential":
        sys.exit(f"only Sequential models are read here, not {topology['class_name']}")
    return topology["config"]["layers"]


def activate(x, name):
    if name == "relu":
        return np.maximum(x, 0)
    if name == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    if name == "linear":
        return x
    sys.exit(f"activation {name} is not understood here")


def conv2d(x, kernel, padding):
    """x: (n, h, w, c); kernel: (kh, kw, c, f), as Keras stores it; stride 1."""
    kh, kw = kernel.shape[:2]
    if padding == "same":
        top, left = (kh - 1) // 2, (kw - 1) // 2
        x = np.pad(x, ((0, 0), (top, kh - 1 - top), (left, kw - 1 - left), (0, 0)))
    elif padding != "valid":
        sys.exit(f"padding {padding} is not understood here")
    windows = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(1, 2))  # n, oh, ow, c, kh, kw
    return np.einsum("nhwcij,ijcf->nhwf", windows, kernel, optimize=True)


def max_pool(x, config):
    if tuple(config["pool_size"]) != (2, 2) or tuple(config.get("strides") or (2, 2)) != (2, 2) or config.get("padding", "valid") != "valid":
        sys.exit(f"max pooling {config} is not understood here")
    n, h, w, c = x.shape
    x = x[:, : h // 2 * 2, : w // 2 * 2, :]
    return x.reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def weight(weights, layer_name, short):
    matches = [name for name in weights if name.split("/")[-2:] == [layer_name, short] or name == f"{layer_name}/{short}"]
    if len(matches) != 1:
        sys.exit(f"weight {layer_name}/{short} not found once in the manifest: {matches}")
    return weights[matches[0]]


def forward(layers, weights, x):
    for layer in layers:
        kind, config = layer["class_name"], layer["config"]
        name = config["name"]
        if kind == "Reshape":
            x = x.reshape((x.shape[0], *config["target_shape"]))
        elif kind == "Flatten":
            x = x.reshape(x.shape[0], -1)
        elif kind == "Dropout":
            pass
        elif kind == "Dense":
            x = x @ weight(weights, name, "kernel")
            if config.get("use_bias", True):
                x = x + weight(weights, name, "bias")
            x = activate(x, config.get("activation", "linear"))
        elif kind == "Conv2D":
            if tuple(config.get("strides", (1, 1))) != (1, 1) or tuple(config.get("dilation_rate", (1, 1))) != (1, 1):
                sys.exit(f"convolution {name} with strides or dilation is not understood here")
            x = conv2d(x, weight(weights, name, "kernel"), config["padding"])
            if config.get("use_bias", True):
                x = x + weight(weights, name, "bias")
            x = activate(x, config.get("activation", "linear"))
        elif kind == "MaxPooling2D":
            x = max_pool(x, config)
        elif kind == "BatchNormalization":
            mean = weight(weights, name, "moving_mean")
            variance = weight(weights, name, "moving_variance")
            gamma = weight(weights, name, "gamma") if config.get("scale", True) else 1.0
            beta = weight(weights, name, "beta") if config.get("center", True) else 0.0
            x = (x - mean) / np.sqrt(variance + config.get("epsilon", 1e-3)) * gamma + beta
        elif kind == "Activation":
            x = activate(x, config["activation"])
        else:
            sys.exit(f"layer {kind} is not understood here")
    return x


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--data-dir", default=DATA_DIR)
    args = parser.parse_args()
    model_json = json.load(open(os.path.join(args.folder, "model.json")))
    layers = layer_list(model_json)
    weights = read_weights(args.folder, model_json)
    images, labels = load_test_set(args.data_dir)
    correct = 0
    for start in range(0, len(labels), CHUNK):
        probabilities = forward(layers, weights, images[start : start + CHUNK])
        correct += int((probabilities.argmax(axis=1) == labels[start : start + CHUNK]).sum())
    print(
        json.dumps(
            {
                "accuracy": correct / len(labels),
                "correct": correct,
                "count": len(labels),
                "layers": [layer["class_name"] for layer in layers],
            }
        )
    )


if __name__ == "__main__":
    main()
