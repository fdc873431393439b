import { describe, expect, it } from "vitest";
import { operatorCall, operatorStatus, TORCH_OPERATORS_VERSION } from "../src/torchscript/operator-registry.js";
import { TORCH_OPERATOR_NAMES } from "../src/torchscript/torch-operators.generated.js";

describe("the torch operator registry generated from torch", () => {
  it("holds the standard namespaces with their operators, from a named torch build", () => {
    expect(TORCH_OPERATORS_VERSION).toMatch(/^\d+\.\d+/);
    for (const namespace of ["aten", "prim", "quantized", "prims"]) {
      expect(TORCH_OPERATOR_NAMES[namespace]?.split(" ").length, namespace).toBeGreaterThan(50);
    }
    expect(operatorStatus("aten", "add")).toBe("operator");
    expect(operatorStatus("aten", "from_file")).toBe("operator");
    expect(operatorStatus("prim", "PythonOp")).toBe("operator");
    expect(operatorStatus("prim", "Constant")).toBe("operator");
    expect(operatorStatus("quantized", "linear")).toBe("operator");
  });

  it("tells fake operators, unchecked and unknown namespaces apart", () => {
    expect(operatorStatus("aten", "system")).toBe("unknown-operator");
    expect(operatorStatus("prim", "shell")).toBe("unknown-operator");
    expect(operatorStatus("torchvision", "nms")).toBe("unchecked");
    expect(operatorStatus("my_ns", "evil_op")).toBe("unknown-namespace");
  });

  it("reads operator calls from resolved names", () => {
    expect(operatorCall("torch.ops.aten.add.Tensor", true)).toEqual({
      namespace: "aten",
      operator: "add",
      builtin: false,
    });
    expect(operatorCall("torch.relu", true)).toEqual({ namespace: "aten", operator: "relu", builtin: true });
    expect(operatorCall("torch.relu", false)).toBeUndefined();
    expect(operatorCall("torch.ops.load_library", true)).toBeUndefined();
    expect(operatorCall("torch.ops.aten.add().sum", true)).toBeUndefined();
    expect(operatorCall("torch.nn.functional.relu", true)).toBeUndefined();
  });

  it("reads `autograd` under any builtin module as aten, as the loader's resolver does", () => {
    const aten = (operator: string) => ({ namespace: "aten", operator, builtin: true });
    expect(operatorCall("torch.autograd.save", true)).toEqual(aten("save"));
    expect(operatorCall("torch.autograd.autograd.from_file", true)).toEqual(aten("from_file"));
    expect(operatorCall("torch.ops.prim.autograd.save", true)).toEqual(aten("save"));
    expect(operatorCall("torch.ops.my_ns.autograd.system", true)).toEqual(aten("system"));
    expect(operatorCall("torch.autograd.grad", false)).toBeUndefined();
    expect(operatorCall("torch.autograd", true)).toBeUndefined();
  });
});
