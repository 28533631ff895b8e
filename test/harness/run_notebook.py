"""Runs a notebook the extension generated, as Jupyter would, and reports what the tests check.

    python run_notebook.py execute NOTEBOOK --executed OUT.ipynb --arrays OUT.npz [--pictures DIR]
        Validates NOTEBOOK against nbformat, executes every cell with nbclient in the notebook's
        own folder (as the editor's Jupyter does), writes the executed copy (outputs and pictures
        included) to OUT.ipynb, then asks the same kernel for the figures the test checks: one JSON
        line on stdout. The test images the notebook used go to OUT.npz, for `reload`; with
        --pictures, each picture the cells drew goes to DIR as <cell id>.png.

    python run_notebook.py reload FILE.keras --arrays OUT.npz
        In this fresh Python, loads the .keras file the notebook saved and prints its test
        accuracy on those images as one JSON line.

Needs nbclient, nbformat and ipykernel (execute) or keras (reload) in this Python. The Keras
backend comes from KERAS_BACKEND, as for any notebook.
"""
import argparse
import base64
import json
import os
import sys

PROBE = """
import json as _json
import numpy as _np
_np.savez({arrays!r}, x_test=x_test, y_test=y_test)
print("PROBE " + _json.dumps({{
    "backend": keras.backend.backend(),
    "kerasVersion": keras.__version__,
    "panelAccuracy": run["evaluation"]["accuracy"],
    "loadedAccuracy": float(loaded_accuracy),
    "loadedLoss": float(loaded_loss),
    "testCount": int(len(y_test)),
    "trainCount": int(len(x_train)),
    "validationCount": int(len(x_val)),
    "retrainCount": int(len(x_fit)),
    "retrainEpochs": len(history.history["loss"]),
    "retrainHistory": {{key: [float(v) for v in values] for key, values in history.history.items()}},
    "retrainedAccuracy": float(retrained_accuracy),
    "kerasFile": str(keras_file.resolve()),
    "datasetFromFiles": bool(files),
}}))
"""


def execute(args):
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(args.notebook, as_version=4)
    nbformat.validate(notebook)
    folder = os.path.dirname(os.path.abspath(args.notebook))
    client = NotebookClient(
        notebook, timeout=args.timeout, kernel_name="python3", resources={"metadata": {"path": folder}}
    )
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        probe = nbformat.v4.new_code_cell(PROBE.format(arrays=os.path.abspath(args.arrays)))
        notebook.cells.append(probe)
        client.execute_cell(probe, len(notebook.cells) - 1)
    nbformat.write(notebook, args.executed)
    lines = [o.get("text", "") for o in probe.outputs if o.get("output_type") == "stream"]
    report = [line for line in "".join(lines).splitlines() if line.startswith("PROBE ")]
    if not report:
        sys.exit(f"the probe cell printed no report: {probe.outputs}")
    pictures = [(cell.get("id", str(i)), o["data"]["image/png"]) for i, cell in enumerate(notebook.cells)
                for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
    if args.pictures:
        os.makedirs(args.pictures, exist_ok=True)
        for cell_id, png in pictures:
            with open(os.path.join(args.pictures, f"{cell_id}.png"), "wb") as f:
                f.write(base64.b64decode(png))
    result = json.loads(report[-1][len("PROBE ") :])
    result["pictures"] = len(pictures)
    print(json.dumps(result))


def reload(args):
    import keras
    import numpy as np

    arrays = np.load(args.arrays)
    model = keras.saving.load_model(args.keras_file)
    loss, accuracy = model.evaluate(arrays["x_test"], arrays["y_test"], batch_size=1024, verbose=0)
    print(json.dumps({"accuracy": float(accuracy), "loss": float(loss), "layers": [layer.name for layer in model.layers]}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("execute")
    run.add_argument("notebook")
    run.add_argument("--executed", required=True)
    run.add_argument("--arrays", required=True)
    run.add_argument("--pictures", help="folder for the pictures the cells drew")
    run.add_argument("--timeout", type=int, default=1800, help="seconds a cell may take")
    load = commands.add_parser("reload")
    load.add_argument("keras_file")
    load.add_argument("--arrays", required=True)
    args = parser.parse_args()
    execute(args) if args.command == "execute" else reload(args)


if __name__ == "__main__":
    main()
