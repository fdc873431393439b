#!/usr/bin/python3
"""Writes a ~100 MB ONNX model (MLP with large raw_data initializers) for measure-large-model.mjs."""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/onnx-large/large-100mb.onnx"
rng = np.random.RandomState(0)
nodes, initializers, previous = [], [], "x"
for index in range(6):  # 6 x 2048 x 2048 float32 = 96 MiB of weights
    weight = numpy_helper.from_array(rng.rand(2048, 2048).astype(np.float32), f"w{index}")
    initializers.append(weight)
    nodes.append(helper.make_node("MatMul", [previous, f"w{index}"], [f"h{index}"], name=f"matmul{index}"))
    nodes.append(helper.make_node("Relu", [f"h{index}"], [f"r{index}"], name=f"relu{index}"))
    previous = f"r{index}"
graph = helper.make_graph(nodes, "large", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2048])],
                          [helper.make_tensor_value_info(previous, TensorProto.FLOAT, [1, 2048])], initializer=initializers)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="modelaudit-measure")
onnx.save_model(model, out)
print(out)
