import { LsbPeriodicity } from "../src/periodicity.js";
const n = 1 << 17; const data = new Float32Array(n); for (let i = 0; i < n; i++) data[i] = Math.random() - 0.5;
const bytes = new Uint8Array(data.buffer);
for (let r = 0; r < 3; r++) { const p = new LsbPeriodicity(4, n, 4096); p.data(bytes); const t = process.cpuUsage().user; p.judge(); console.log("judge 128K x 4096 lags", ((process.cpuUsage().user - t) / 1000).toFixed(0), "ms cpu"); }
