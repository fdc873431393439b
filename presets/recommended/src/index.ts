import { definePreset } from "@modelaudit/core";
import archiveSafety from "@modelaudit/detector-archive-safety/manifest";
import backdoor from "@modelaudit/detector-backdoor/manifest";
import binary from "@modelaudit/detector-binary";
import codeExecution from "@modelaudit/detector-code-execution/manifest";
import crypto from "@modelaudit/detector-crypto";
import customOps from "@modelaudit/detector-custom-ops/manifest";
import dp from "@modelaudit/detector-dp/manifest";
import jit from "@modelaudit/detector-jit/manifest";
import network from "@modelaudit/detector-network";
import pii from "@modelaudit/detector-pii";
import quantization from "@modelaudit/detector-quantization/manifest";
import remoteCode from "@modelaudit/detector-remote-code";
import secrets from "@modelaudit/detector-secrets";
import stego from "@modelaudit/detector-stego/manifest";
import supplyChain from "@modelaudit/detector-supply-chain";
import templateInjection from "@modelaudit/detector-template-injection/manifest";
import archive from "@modelaudit/format-archive";
import executable from "@modelaudit/format-executable";
import gguf from "@modelaudit/format-gguf";
import huggingface from "@modelaudit/format-huggingface";
import keras from "@modelaudit/format-keras";
import onnx from "@modelaudit/format-onnx";
import pickle from "@modelaudit/format-pickle";
import pytorch from "@modelaudit/format-pytorch";
import safetensors from "@modelaudit/format-safetensors";
import tensorflow from "@modelaudit/format-tensorflow";
import tflite from "@modelaudit/format-tflite";
import xgboost from "@modelaudit/format-xgboost";

/**
 * Every first-party plugin. Rules run at their own recommended settings (`meta.recommended`). Plugins
 * with a `/manifest` entry are loaded as it: their detectors' code is imported on first need (start-up).
 */
export default definePreset({
  meta: { name: "@modelaudit/preset-recommended", version: __PACKAGE_VERSION__ },
  plugins: [
    // Format handlers: parse, emit facts.
    archive,
    pickle,
    pytorch,
    safetensors,
    gguf,
    onnx,
    tensorflow,
    tflite,
    keras,
    huggingface,
    xgboost,
    executable,
    // Detectors: judge facts.
    codeExecution,
    jit,
    customOps,
    network,
    secrets,
    supplyChain,
    pii,
    // Weights, read through the tensor channel.
    backdoor,
    stego,
    quantization,
    dp,
    crypto,
    templateInjection,
    remoteCode,
    archiveSafety,
    binary,
  ],
});
