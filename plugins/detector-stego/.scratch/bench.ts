import { TensorStatistics } from "@modelaudit/tensors";
import { HiddenPlaneReader } from "../src/hidden-planes.js";
import { LowBitHistogram } from "../src/low-bit-statistics.js";
import { LsbPeriodicity } from "../src/periodicity.js";


const tensors = 16, rows = 1024, cols = 1024;
const data = new Float32Array(rows * cols);
let seed = 0x9e3779b9;
for (let i = 0; i < data.length; i++) { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; data[i] = ((seed >>> 0) / 4294967296 - 0.5) * 0.08; }
const bytes = new Uint8Array(data.buffer);
const CHUNK = 4 << 20;
const ctx = { identify: () => Object.assign([], { limited: false }) } as any;
const makers: Record<string, () => { data(c: Uint8Array, o: number): void; end(c: boolean): void }> = {
  stats: () => new TensorStatistics("f32", [rows, cols]),

  hiddenPlanes: () => new HiddenPlaneReader("f32", ctx),
  lowBitHistogram: () => { const h = new LowBitHistogram("f32"); return { data: (c: Uint8Array) => h.data(c), end: () => {} }; },
  periodicity: () => { const p = new LsbPeriodicity(4, 1 << 15, 512); return { data: (c: Uint8Array) => p.data(c), end: () => {} }; },
};
const only = process.argv[2];
for (const [name, make] of Object.entries(makers)) {
  if (only && name !== only) continue;
  for (let round = 0; round < 4; round++) {
    const t0 = process.cpuUsage().user / 1000;
    for (let t = 0; t < tensors; t++) {
      const c = make();
      for (let off = 0; off < bytes.length; off += CHUNK) c.data(bytes.subarray(off, off + CHUNK), off);
      c.end(true);
    }
    const ms = process.cpuUsage().user / 1000 - t0;
    if (round >= 1) console.log(name.padEnd(16), `${ms.toFixed(0)} ms  ${(tensors * bytes.length / 1048576 / (ms / 1000)).toFixed(0)} MiB/s  ${(ms * 1e6 / (tensors * data.length)).toFixed(2)} ns/value`);
  }
}
