import { vi } from "vitest";

// The JavaScript loops the kernels stand in for, under the same tests (this file's modules are its
// own: the kernels are not loaded in it).
vi.hoisted(() => {
  process.env.MODELAUDIT_NO_SIMD = "1";
});

import "./row-summary.test.js";
import "./scaled-blocks.test.js";
import "./statistics.test.js";
import "./low-bit-planes.test.js";
import "./plane-packer.test.js";
import "./bit-lags.test.js";
import "./word-histogram.test.js";
import "./lsb-order.test.js";
