import { readFileSync } from "node:fs";
import archive from "@modelaudit/format-archive";
import gguf from "@modelaudit/format-gguf";
import huggingface from "@modelaudit/format-huggingface";
import pickle from "@modelaudit/format-pickle";
import pytorch from "@modelaudit/format-pytorch";
import safetensors from "@modelaudit/format-safetensors";
import plugin from "../src/index.js";

export const FIXTURES = new URL("../../../tooling/fixtures/quantization/", import.meta.url);

export interface ManifestEntry {
  file: string;
  label: "malicious" | "benign";
  expect: "clean" | "findings" | "inconclusive" | "any-not-crash";
  maxSeverity: "info" | "warning" | "critical" | null;
  rules: string[];
}

export function manifest(): ManifestEntry[] {
  return JSON.parse(readFileSync(new URL("manifest.json", FIXTURES), "utf8"));
}

export function fixturePath(file: string): string {
  return new URL(file, FIXTURES).pathname;
}

/** The detector with the format plugins whose tensors and configs it reads. */
export const withHandlers = [plugin, safetensors, gguf, pickle, pytorch, archive, huggingface] as const;

/** Tensor data reaches detectors at thorough until the engine reads it at standard too. */
export const THOROUGH = { level: "thorough" as const };
