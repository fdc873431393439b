// Measures the ONNX handler on a large model: wall time, bytes read and peak RSS.
// Usage: pnpm --filter @modelaudit/format-onnx build && node scripts/measure-large-model.mjs /tmp/onnx-large/large-100mb.onnx
import { statSync } from "node:fs";
import { DEFAULT_LIMITS, FileSource } from "@modelaudit/core";
import plugin from "../dist/index.js";

const file = process.argv[2] ?? "/tmp/onnx-large/large-100mb.onnx";
const size = statSync(file).size;
const source = new FileSource(file, size);
let bytesRead = 0;
const read = source.read.bind(source);
source.read = async (offset, length) => {
  const bytes = await read(offset, length);
  bytesRead += bytes.length;
  return bytes;
};
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 5);
const facts = [];
const reasons = [];
const handler = plugin.formats[0];
const started = process.hrtime.bigint();
await handler.parse({
  source,
  file,
  memberChain: [],
  limits: DEFAULT_LIMITS,
  level: "standard",
  emit: (fact) => facts.push(fact),
  addFormat: () => undefined,
  scanChild: async () => undefined,
  inconclusive: (reason) => reasons.push(reason),
  checkDeadline: () => undefined,
  chargeInflated: () => undefined,
});
const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
await source.close();
const tensors = facts.filter((fact) => fact.kind === "tensor");
console.log(
  JSON.stringify(
    {
      file,
      sizeMiB: +(size / 1024 ** 2).toFixed(1),
      parseMs: +elapsed.toFixed(1),
      bytesReadKiB: +(bytesRead / 1024).toFixed(1),
      peakRssMiB: +(peakRss / 1024 ** 2).toFixed(1),
      facts: facts.length,
      tensors: tensors.length,
      tensorBytes: tensors.reduce((sum, fact) => sum + (fact.dataLength ?? 0), 0),
      inconclusive: reasons,
    },
    null,
    2,
  ),
);
