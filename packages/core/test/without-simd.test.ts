import { vi } from "vitest";

// identify with the word loop the SIMD pair filter stands in for, and the printable-strings channel
// with its sampling loop, under the same tests (this file's modules are its own: no kernel loads in it).
vi.hoisted(() => {
  process.env.MODELAUDIT_NO_SIMD = "1";
});

import "./identify.test.js";
import "./identify-against-reference.test.js";
import "./printable-strings.test.js";
