// ../../packages/core/dist/chunk-WDNF5COJ.js
var QK_K = 256;
function info(dtype, tensorClass, blockBytes, blockElements = 1) {
  return { dtype, class: tensorClass, blockElements, blockBytes };
}
var INFO = {
  f64: info("f64", "float", 8),
  f32: info("f32", "float", 4),
  f16: info("f16", "float", 2),
  bf16: info("bf16", "float", 2),
  f8_e4m3: info("f8_e4m3", "float", 1),
  f8_e4m3fnuz: info("f8_e4m3fnuz", "float", 1),
  f8_e5m2: info("f8_e5m2", "float", 1),
  f8_e5m2fnuz: info("f8_e5m2fnuz", "float", 1),
  i8: info("i8", "integer", 1),
  u8: info("u8", "integer", 1),
  i16: info("i16", "integer", 2),
  u16: info("u16", "integer", 2),
  i32: info("i32", "integer", 4),
  u32: info("u32", "integer", 4),
  i64: info("i64", "integer", 8),
  u64: info("u64", "integer", 8),
  bool: info("bool", "bool", 1),
  c64: info("c64", "complex", 8),
  c128: info("c128", "complex", 16),
  q4_0: info("q4_0", "quantized", 2 + 16, 32),
  q4_1: info("q4_1", "quantized", 2 + 2 + 16, 32),
  q5_0: info("q5_0", "quantized", 2 + 4 + 16, 32),
  q5_1: info("q5_1", "quantized", 2 + 2 + 4 + 16, 32),
  q8_0: info("q8_0", "quantized", 2 + 32, 32),
  // ggml's block_q8_1 is two halves (d, s) and 32 quants; gguf-py's size table says 40, the loader reads 36.
  q8_1: info("q8_1", "quantized", 2 + 2 + 32, 32),
  q2_k: info("q2_k", "quantized", 2 + 2 + QK_K / 16 + QK_K / 4, QK_K),
  q3_k: info("q3_k", "quantized", 2 + QK_K / 4 + QK_K / 8 + 12, QK_K),
  q4_k: info("q4_k", "quantized", 2 + 2 + QK_K / 2 + 12, QK_K),
  q5_k: info("q5_k", "quantized", 2 + 2 + QK_K / 2 + QK_K / 8 + 12, QK_K),
  q6_k: info("q6_k", "quantized", 2 + QK_K / 2 + QK_K / 4 + QK_K / 16, QK_K),
  q8_k: info("q8_k", "quantized", 4 + QK_K + QK_K / 8, QK_K),
  iq2_xxs: info("iq2_xxs", "quantized", 2 + QK_K / 4, QK_K),
  iq2_xs: info("iq2_xs", "quantized", 2 + QK_K / 4 + QK_K / 32, QK_K),
  iq3_xxs: info("iq3_xxs", "quantized", 2 + QK_K / 4 + QK_K / 8, QK_K),
  iq1_s: info("iq1_s", "quantized", 2 + QK_K / 8 + QK_K / 16, QK_K),
  iq4_nl: info("iq4_nl", "quantized", 2 + 16, 32),
  iq3_s: info("iq3_s", "quantized", 2 + QK_K / 4 + QK_K / 8 + QK_K / 32 + 4, QK_K),
  iq2_s: info("iq2_s", "quantized", 2 + QK_K / 4 + QK_K / 16, QK_K),
  iq4_xs: info("iq4_xs", "quantized", 2 + 2 + QK_K / 2 + QK_K / 64, QK_K),
  iq1_m: info("iq1_m", "quantized", QK_K / 8 + QK_K / 16 + QK_K / 32, QK_K),
  tq1_0: info("tq1_0", "quantized", 2 + 4 * 13, QK_K),
  tq2_0: info("tq2_0", "quantized", 2 + 64, QK_K),
  mxfp4: info("mxfp4", "quantized", 1 + 16, 32),
  opaque: info("opaque", "opaque", 1, 1)
};
function dtypeInfo(dtype) {
  return INFO[dtype];
}

// ../../packages/core/dist/index.js
function cwe(id, title) {
  return { kind: "cwe", id: `CWE-${id}`, title, url: `https://cwe.mitre.org/data/definitions/${id}.html` };
}
function owaspMl(rank, title) {
  const page = `ML${rank}_2023-${title.replaceAll(" ", "_")}`;
  return {
    kind: "owasp-ml",
    id: `ML${rank}:2023`,
    title,
    url: `https://owasp.org/www-project-machine-learning-security-top-10/docs/${page}`
  };
}
function attack(id, title, path) {
  return { kind: "mitre-attack", id, title, url: `https://attack.mitre.org/${path}/${id}/` };
}
var CWE_22 = cwe(22, "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')");
var CWE_23 = cwe(23, "Relative Path Traversal");
var CWE_36 = cwe(36, "Absolute Path Traversal");
var CWE_59 = cwe(59, "Improper Link Resolution Before File Access ('Link Following')");
var CWE_61 = cwe(61, "UNIX Symbolic Link (Symlink) Following");
var CWE_73 = cwe(73, "External Control of File Name or Path");
var CWE_78 = cwe(
  78,
  "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')"
);
var CWE_94 = cwe(94, "Improper Control of Generation of Code ('Code Injection')");
var CWE_114 = cwe(114, "Process Control");
var CWE_200 = cwe(200, "Exposure of Sensitive Information to an Unauthorized Actor");
var CWE_312 = cwe(312, "Cleartext Storage of Sensitive Information");
var CWE_327 = cwe(327, "Use of a Broken or Risky Cryptographic Algorithm");
var CWE_328 = cwe(328, "Use of Weak Hash");
var CWE_354 = cwe(354, "Improper Validation of Integrity Check Value");
var CWE_359 = cwe(359, "Exposure of Private Personal Information to an Unauthorized Actor");
var CWE_400 = cwe(400, "Uncontrolled Resource Consumption");
var CWE_409 = cwe(409, "Improper Handling of Highly Compressed Data (Data Amplification)");
var CWE_427 = cwe(427, "Uncontrolled Search Path Element");
var CWE_434 = cwe(434, "Unrestricted Upload of File with Dangerous Type");
var CWE_436 = cwe(436, "Interpretation Conflict");
var CWE_494 = cwe(494, "Download of Code Without Integrity Check");
var CWE_502 = cwe(502, "Deserialization of Untrusted Data");
var CWE_506 = cwe(506, "Embedded Malicious Code");
var CWE_646 = cwe(646, "Reliance on File Name or Extension of Externally-Supplied File");
var CWE_674 = cwe(674, "Uncontrolled Recursion");
var CWE_798 = cwe(798, "Use of Hard-coded Credentials");
var CWE_829 = cwe(829, "Inclusion of Functionality from Untrusted Control Sphere");
var CWE_918 = cwe(918, "Server-Side Request Forgery (SSRF)");
var CWE_1284 = cwe(1284, "Improper Validation of Specified Quantity in Input");
var CWE_1336 = cwe(1336, "Improper Neutralization of Special Elements Used in a Template Engine");
var OWASP_ML03 = owaspMl("03", "Model Inversion Attack");
var OWASP_ML04 = owaspMl("04", "Membership Inference Attack");
var OWASP_ML06 = owaspMl("06", "AI Supply Chain Attacks");
var OWASP_ML10 = owaspMl("10", "Model Poisoning");
var ATTACK_TA0011 = attack("TA0011", "Command and Control", "tactics");
var ATTACK_T1567 = attack("T1567", "Exfiltration Over Web Service", "techniques");

// ../../packages/tensors/dist/index.js
var float16 = null;
var float8 = /* @__PURE__ */ new Map();
var CANONICAL_NAN_BITS = 2143289344;
var scratch = new Float32Array(1);
var scratchBits = new Uint32Array(scratch.buffer);
function float32Bits(value) {
  if (Number.isNaN(value)) return CANONICAL_NAN_BITS;
  scratch[0] = value;
  return scratchBits[0];
}
function float16Table() {
  if (float16) return float16;
  const table = new Uint32Array(65536);
  for (let bits = 0; bits < 65536; bits++) {
    const sign = (bits & 32768) << 16;
    const exponent = bits >>> 10 & 31;
    const fraction = bits & 1023;
    if (exponent === 31) {
      table[bits] = (sign | 2139095040 | fraction << 13) >>> 0;
    } else if (exponent === 0) {
      table[bits] = (sign | float32Bits(fraction * 2 ** -24)) >>> 0;
    } else {
      table[bits] = (sign | exponent + 112 << 23 | fraction << 13) >>> 0;
    }
  }
  float16 = table;
  return table;
}
function float16ToNumber(bits) {
  const table = float16Table();
  scratchBits[0] = table[bits & 65535];
  return scratch[0];
}
var FLOAT8_LAYOUTS = {
  f8_e4m3: { exponentBits: 4, bias: 7, special: "fn" },
  f8_e4m3fnuz: { exponentBits: 4, bias: 8, special: "fnuz" },
  f8_e5m2: { exponentBits: 5, bias: 15, special: "ieee" },
  f8_e5m2fnuz: { exponentBits: 5, bias: 16, special: "fnuz" }
};
function decodeFloat8(byte, format) {
  const { exponentBits, bias, special } = FLOAT8_LAYOUTS[format];
  const mantissaBits = 7 - exponentBits;
  const exponentMax = (1 << exponentBits) - 1;
  const mantissaMax = (1 << mantissaBits) - 1;
  const negative = (byte & 128) !== 0;
  const exponent = byte >>> mantissaBits & exponentMax;
  const fraction = byte & mantissaMax;
  if (special === "fnuz" && byte === 128) return Number.NaN;
  if (special === "fn" && exponent === exponentMax && fraction === mantissaMax) return Number.NaN;
  if (special === "ieee" && exponent === exponentMax) {
    if (fraction !== 0) return Number.NaN;
    return negative ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  const magnitude = exponent === 0 ? fraction * 2 ** (1 - bias - mantissaBits) : (1 + fraction / (mantissaMax + 1)) * 2 ** (exponent - bias);
  return negative ? -magnitude : magnitude;
}
function float8Table(format) {
  let table = float8.get(format);
  if (table) return table;
  table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    const value = decodeFloat8(byte, format);
    table[byte] = float32Bits(value);
  }
  float8.set(format, table);
  return table;
}
var fround = Math.fround;
var QK_K2 = 256;
function half(bytes2, at) {
  return float16ToNumber(bytes2[at] | bytes2[at + 1] << 8);
}
var floatScratch = new Float32Array(1);
var floatScratchBits = new Uint32Array(floatScratch.buffer);
function single(bytes2, at) {
  floatScratchBits[0] = bytes2[at] | bytes2[at + 1] << 8 | bytes2[at + 2] << 16 | bytes2[at + 3] << 24;
  return floatScratch[0];
}
function word(bytes2, at) {
  return (bytes2[at] | bytes2[at + 1] << 8 | bytes2[at + 2] << 16 | bytes2[at + 3] << 24) >>> 0;
}
function signed(byte) {
  return byte << 24 >> 24;
}
function q4_0(bytes2, blocks, out) {
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 18, o += 32) {
    const d = half(bytes2, at);
    for (let j = 0; j < 16; j++) {
      const q = bytes2[at + 2 + j];
      out[o + j] = ((q & 15) - 8) * d;
      out[o + j + 16] = ((q >>> 4) - 8) * d;
    }
  }
}
function q4_1(bytes2, blocks, out) {
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 20, o += 32) {
    const d = half(bytes2, at);
    const m = half(bytes2, at + 2);
    for (let j = 0; j < 16; j++) {
      const q = bytes2[at + 4 + j];
      out[o + j] = fround((q & 15) * d) + m;
      out[o + j + 16] = fround((q >>> 4) * d) + m;
    }
  }
}
function q5_0(bytes2, blocks, out) {
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 22, o += 32) {
    const d = half(bytes2, at);
    const qh = word(bytes2, at + 2);
    for (let j = 0; j < 16; j++) {
      const q = bytes2[at + 6 + j];
      const high0 = qh >>> j << 4 & 16;
      const high1 = qh >>> j + 12 & 16;
      out[o + j] = ((q & 15 | high0) - 16) * d;
      out[o + j + 16] = ((q >>> 4 | high1) - 16) * d;
    }
  }
}
function q5_1(bytes2, blocks, out) {
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 24, o += 32) {
    const d = half(bytes2, at);
    const m = half(bytes2, at + 2);
    const qh = word(bytes2, at + 4);
    for (let j = 0; j < 16; j++) {
      const q = bytes2[at + 8 + j];
      const high0 = qh >>> j << 4 & 16;
      const high1 = qh >>> j + 12 & 16;
      out[o + j] = fround((q & 15 | high0) * d) + m;
      out[o + j + 16] = fround((q >>> 4 | high1) * d) + m;
    }
  }
}
function q8_0(bytes2, blocks, out) {
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 34, o += 32) {
    const d = half(bytes2, at);
    for (let j = 0; j < 32; j++) out[o + j] = signed(bytes2[at + 2 + j]) * d;
  }
}
function q8_1(blockBytes) {
  const wide = blockBytes === 40;
  const quants = wide ? 8 : 4;
  return (bytes2, blocks, out) => {
    for (let block = 0, at = 0, o = 0; block < blocks; block++, at += blockBytes, o += 32) {
      const d = wide ? single(bytes2, at) : half(bytes2, at);
      for (let j = 0; j < 32; j++) out[o + j] = signed(bytes2[at + quants + j]) * d;
    }
  };
}
function q2_k(bytes2, blocks, out) {
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 84, o += QK_K2) {
    const d = half(bytes2, at + 80);
    const dmin = half(bytes2, at + 82);
    let y = o;
    let group = 0;
    for (let q = at + 16; q < at + 80; q += 32) {
      for (let shift = 0; shift < 8; shift += 2) {
        for (let part = 0; part < 32; part += 16) {
          const scale = bytes2[at + group++];
          const step = fround(d * (scale & 15));
          const offset = fround(dmin * (scale >>> 4));
          for (let l = part; l < part + 16; l++) out[y++] = fround(step * (bytes2[q + l] >>> shift & 3)) - offset;
        }
      }
    }
  }
}
function q3kScale(bytes2, scales, group) {
  const low = group < 8 ? bytes2[scales + group] & 15 : bytes2[scales + group - 8] >>> 4;
  const high = bytes2[scales + 8 + (group & 3)] >>> 2 * (group >>> 2) & 3;
  return low | high << 4;
}
function q3_k(bytes2, blocks, out) {
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 110, o += QK_K2) {
    const d = half(bytes2, at + 108);
    const hmask = at;
    let y = o;
    let group = 0;
    let mask = 1;
    for (let q = at + 32; q < at + 96; q += 32) {
      for (let shift = 0; shift < 8; shift += 2, mask <<= 1) {
        for (let part = 0; part < 32; part += 16) {
          const step = fround(d * (q3kScale(bytes2, at + 96, group++) - 32));
          for (let l = part; l < part + 16; l++) {
            const low = bytes2[q + l] >>> shift & 3;
            const high = bytes2[hmask + l] & mask ? 0 : 4;
            out[y++] = step * (low - high);
          }
        }
      }
    }
  }
}
function scaleK4(bytes2, at, j) {
  if (j < 4) return bytes2[at + j] & 63;
  return bytes2[at + j + 4] & 15 | bytes2[at + j - 4] >>> 6 << 4;
}
function minK4(bytes2, at, j) {
  if (j < 4) return bytes2[at + j + 4] & 63;
  return bytes2[at + j + 4] >>> 4 | bytes2[at + j] >>> 6 << 4;
}
function q4_k(bytes2, blocks, out) {
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 144, o += QK_K2) {
    const d = half(bytes2, at);
    const dmin = half(bytes2, at + 2);
    let y = o;
    for (let group = 0, q = at + 16; group < 8; group += 2, q += 32) {
      const step1 = fround(d * scaleK4(bytes2, at + 4, group));
      const offset1 = fround(dmin * minK4(bytes2, at + 4, group));
      const step2 = fround(d * scaleK4(bytes2, at + 4, group + 1));
      const offset2 = fround(dmin * minK4(bytes2, at + 4, group + 1));
      for (let l = 0; l < 32; l++) out[y++] = fround(step1 * (bytes2[q + l] & 15)) - offset1;
      for (let l = 0; l < 32; l++) out[y++] = fround(step2 * (bytes2[q + l] >>> 4)) - offset2;
    }
  }
}
function q5_k(bytes2, blocks, out) {
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 176, o += QK_K2) {
    const d = half(bytes2, at);
    const dmin = half(bytes2, at + 2);
    const qh = at + 16;
    let y = o;
    for (let group = 0, q = at + 48; group < 8; group += 2, q += 32) {
      const step1 = fround(d * scaleK4(bytes2, at + 4, group));
      const offset1 = fround(dmin * minK4(bytes2, at + 4, group));
      const step2 = fround(d * scaleK4(bytes2, at + 4, group + 1));
      const offset2 = fround(dmin * minK4(bytes2, at + 4, group + 1));
      const bit1 = 1 << group;
      const bit2 = 2 << group;
      for (let l = 0; l < 32; l++) {
        out[y++] = fround(step1 * ((bytes2[q + l] & 15) + (bytes2[qh + l] & bit1 ? 16 : 0))) - offset1;
      }
      for (let l = 0; l < 32; l++) {
        out[y++] = fround(step2 * ((bytes2[q + l] >>> 4) + (bytes2[qh + l] & bit2 ? 16 : 0))) - offset2;
      }
    }
  }
}
function q6_k(bytes2, blocks, out) {
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 210, o += QK_K2) {
    const d = half(bytes2, at + 208);
    for (let part = 0; part < 2; part++) {
      const ql = at + part * 64;
      const qh = at + 128 + part * 32;
      const scales = at + 192 + part * 8;
      const y = o + part * 128;
      for (let l = 0; l < 32; l++) {
        const group = scales + (l >>> 4);
        const low0 = bytes2[ql + l];
        const low1 = bytes2[ql + l + 32];
        const high = bytes2[qh + l];
        out[y + l] = fround(d * signed(bytes2[group])) * ((low0 & 15 | (high & 3) << 4) - 32);
        out[y + l + 32] = fround(d * signed(bytes2[group + 2])) * ((low1 & 15 | (high >>> 2 & 3) << 4) - 32);
        out[y + l + 64] = fround(d * signed(bytes2[group + 4])) * ((low0 >>> 4 | (high >>> 4 & 3) << 4) - 32);
        out[y + l + 96] = fround(d * signed(bytes2[group + 6])) * ((low1 >>> 4 | (high >>> 6 & 3) << 4) - 32);
      }
    }
  }
}
function q8_k(bytes2, blocks, out) {
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 292, o += QK_K2) {
    const d = single(bytes2, at);
    for (let j = 0; j < QK_K2; j++) out[o + j] = d * signed(bytes2[at + 4 + j]);
  }
}
function blockDequantizer(dtype, blockBytes) {
  switch (dtype) {
    case "q4_0":
      return q4_0;
    case "q4_1":
      return q4_1;
    case "q5_0":
      return q5_0;
    case "q5_1":
      return q5_1;
    case "q8_0":
      return q8_0;
    case "q8_1":
      return blockBytes === 36 || blockBytes === 40 ? q8_1(blockBytes) : null;
    case "q2_k":
      return q2_k;
    case "q3_k":
      return q3_k;
    case "q4_k":
      return q4_k;
    case "q5_k":
      return q5_k;
    case "q6_k":
      return q6_k;
    case "q8_k":
      return q8_k;
    default:
      return null;
  }
}
var FloatDecoder = class {
  constructor(dtype, plan) {
    this.dtype = dtype;
    this.plan = plan;
    const info2 = dtypeInfo(dtype);
    this.blockBytes = info2.blockBytes;
    this.blockElements = info2.blockElements;
    this.output = plan.kind === "view" || plan.kind === "convert" ? plan.output : "f32";
  }
  dtype;
  plan;
  /** Bytes and elements per block (per element for plain types). */
  blockBytes;
  blockElements;
  /** The window type decode returns: float64 for f64 and the 32- and 64-bit integers, float32 otherwise. */
  output;
  buffer = new ArrayBuffer(0);
  /** A copy of a chunk that arrived misaligned (only outside the engine's contract). */
  aligned = new Uint8Array(0);
  /** Elements in the whole blocks of `byteLength` bytes (a trailing partial block is not decoded). */
  elementsIn(byteLength) {
    return Math.floor(byteLength / this.blockBytes) * this.blockElements;
  }
  /**
   * The values of the whole blocks in `chunk`. The window is a view on the chunk (f32, f64) or on
   * this decoder's buffer: valid until the next call, and only while the chunk is.
   */
  decode(chunk) {
    const blocks = Math.floor(chunk.length / this.blockBytes);
    const count = blocks * this.blockElements;
    const plan = this.plan;
    if (plan.kind === "blocks") {
      const out = this.floats32(count);
      plan.dequantize(chunk, blocks, out);
      return out;
    }
    const input = this.align(chunk, count);
    switch (plan.kind) {
      case "view":
        return plan.output === "f32" ? new Float32Array(input.buffer, input.byteOffset, count) : new Float64Array(input.buffer, input.byteOffset, count);
      case "bits": {
        const out = this.floats32(count);
        plan.read(input, count, new Uint32Array(out.buffer, 0, count));
        return out;
      }
      case "convert": {
        const out = plan.output === "f32" ? this.floats32(count) : this.floats64(count);
        plan.read(input, count, out);
        return out;
      }
    }
  }
  floats32(count) {
    this.reserve(count * 4);
    return new Float32Array(this.buffer, 0, count);
  }
  floats64(count) {
    this.reserve(count * 8);
    return new Float64Array(this.buffer, 0, count);
  }
  reserve(bytes2) {
    if (this.buffer.byteLength < bytes2) this.buffer = new ArrayBuffer(Math.max(bytes2, this.buffer.byteLength * 2));
  }
  /** The chunk itself when its offset suits typed-array views of the element size; else an aligned copy. */
  align(chunk, count) {
    const size = this.blockBytes;
    if (chunk.byteOffset % size === 0) return chunk;
    if (this.aligned.length < count * size) this.aligned = new Uint8Array(count * size);
    this.aligned.set(chunk.subarray(0, count * size));
    return this.aligned;
  }
};
function halves(input, count) {
  return new Uint16Array(input.buffer, input.byteOffset, count);
}
function float16Bits(input, count, out) {
  const table = float16Table();
  const words = halves(input, count);
  for (let index = 0; index < count; index++) out[index] = table[words[index]];
}
function bfloat16Bits(input, count, out) {
  const words = halves(input, count);
  for (let index = 0; index < count; index++) out[index] = words[index] << 16;
}
function float8Bits(table) {
  return (input, count, out) => {
    for (let index = 0; index < count; index++) out[index] = table[input[index]];
  };
}
function integers(View) {
  return (input, count, out) => {
    const values = new View(input.buffer, input.byteOffset, count);
    for (let index = 0; index < count; index++) out[index] = values[index];
  };
}
function integers64(signedHigh) {
  return (input, count, out) => {
    const low = new Uint32Array(input.buffer, input.byteOffset, count * 2);
    const high = signedHigh ? new Int32Array(input.buffer, input.byteOffset, count * 2) : low;
    for (let index = 0; index < count; index++) out[index] = high[2 * index + 1] * 4294967296 + low[2 * index];
  };
}
function booleans(input, count, out) {
  for (let index = 0; index < count; index++) out[index] = input[index] === 0 ? 0 : 1;
}
function planFor(dtype) {
  switch (dtype) {
    case "f32":
      return { kind: "view", output: "f32" };
    case "f64":
      return { kind: "view", output: "f64" };
    case "f16":
      return { kind: "bits", read: float16Bits };
    case "bf16":
      return { kind: "bits", read: bfloat16Bits };
    case "f8_e4m3":
    case "f8_e4m3fnuz":
    case "f8_e5m2":
    case "f8_e5m2fnuz":
      return { kind: "bits", read: float8Bits(float8Table(dtype)) };
    case "i8":
      return { kind: "convert", output: "f32", read: integers(Int8Array) };
    case "u8":
      return { kind: "convert", output: "f32", read: integers(Uint8Array) };
    case "i16":
      return { kind: "convert", output: "f32", read: integers(Int16Array) };
    case "u16":
      return { kind: "convert", output: "f32", read: integers(Uint16Array) };
    case "i32":
      return { kind: "convert", output: "f64", read: integers(Int32Array) };
    case "u32":
      return { kind: "convert", output: "f64", read: integers(Uint32Array) };
    case "i64":
      return { kind: "convert", output: "f64", read: integers64(true) };
    case "u64":
      return { kind: "convert", output: "f64", read: integers64(false) };
    case "bool":
      return { kind: "convert", output: "f32", read: booleans };
    default: {
      const dequantize = blockDequantizer(dtype, dtypeInfo(dtype).blockBytes);
      return dequantize ? { kind: "blocks", dequantize } : null;
    }
  }
}
function floatDecoder(dtype) {
  const plan = planFor(dtype);
  return plan ? new FloatDecoder(dtype, plan) : null;
}
function lowWordBytes(dtype) {
  const info2 = dtypeInfo(dtype);
  if (info2.class === "quantized" || info2.class === "opaque") return null;
  return info2.class === "complex" ? info2.blockBytes / 2 : info2.blockBytes;
}
function lowBitPlanesFor(dtype) {
  const wordBytes = lowWordBytes(dtype);
  if (wordBytes === null) return [];
  const planes = [];
  for (const bits of [1, 2, 4, 8]) {
    if (bits > wordBytes * 4) continue;
    planes.push({ bits, order: "msb-first" });
    if (bits < 8) planes.push({ bits, order: "lsb-first" });
  }
  return planes;
}
var gathered = new Uint8Array(0);
function gatherBuffer(length) {
  if (gathered.length < length) gathered = new Uint8Array(Math.max(length, gathered.length * 2));
  return gathered;
}
var PlaneView = class {
  constructor(bits, msbFirst) {
    this.bits = bits;
    this.msbFirst = msbFirst;
    this.perByte = 8 / bits;
    this.mask = (1 << bits) - 1;
  }
  bits;
  msbFirst;
  length = 0;
  lows = new Uint8Array(0);
  perByte;
  mask;
  over(lows, elements) {
    this.lows = lows;
    this.length = elements * this.bits >> 3;
    return this;
  }
  at(index) {
    const lows = this.lows;
    const k = this.bits;
    if (k === 8) return lows[index];
    const mask = this.mask;
    const base = index * this.perByte;
    let byte = 0;
    if (this.msbFirst) for (let at = base; at < base + this.perByte; at++) byte = byte << k | lows[at] & mask;
    else for (let at = base + this.perByte - 1; at >= base; at--) byte = byte << k | lows[at] & mask;
    return byte;
  }
};
var LowBitPlanes = class {
  wordBytes;
  planes;
  kept_;
  keptLength;
  produced_;
  views;
  onPlane;
  /** Low bytes of the last elements that did not fill a byte of every plane (fewer than 8). */
  carry = new Uint8Array(8);
  carried = 0;
  complete = null;
  /** Throws for dtypes without a per-element word (check `lowWordBytes` first). */
  constructor(dtype, options) {
    const wordBytes = lowWordBytes(dtype);
    if (wordBytes === null) throw new RangeError(`no per-element words in ${dtype} data`);
    this.wordBytes = wordBytes;
    this.planes = options.planes;
    const window = options.window ?? 64 * 1024;
    const words = Math.floor((options.dataBytes ?? Number.POSITIVE_INFINITY) / wordBytes);
    this.kept_ = options.planes.map((plane) => new Uint8Array(Math.min(window, Math.ceil(words * plane.bits / 8))));
    this.keptLength = options.planes.map(() => 0);
    this.produced_ = options.planes.map(() => 0);
    this.views = options.planes.map((plane) => new PlaneView(plane.bits, plane.bits === 8 || plane.order === "msb-first"));
    this.onPlane = options.onPlane;
  }
  /** The first bytes of a plane (up to the window). */
  kept(plane) {
    return this.kept_[plane].subarray(0, this.keptLength[plane]);
  }
  /** Bytes a plane has produced in all. */
  produced(plane) {
    return this.produced_[plane] ?? 0;
  }
  /** Whole words, in order; a trailing partial word is ignored. */
  data(chunk, _offset = 0) {
    if (this.complete !== null) return;
    const stride = this.wordBytes;
    const words = Math.floor(chunk.length / stride);
    const total = this.carried + words;
    const lows = gatherBuffer(total);
    lows.set(this.carry.subarray(0, this.carried));
    if (stride === 1) lows.set(chunk.subarray(0, words), this.carried);
    else for (let element = 0, at = this.carried; element < words; element++, at++) lows[at] = chunk[element * stride];
    const whole = total - total % 8;
    this.offer(lows, whole);
    this.carried = total - whole;
    this.carry.set(lows.subarray(whole, total));
  }
  end(complete) {
    if (this.complete !== null) return;
    if (this.carried > 0) this.offer(this.carry, this.carried);
    this.carried = 0;
    this.complete = complete;
  }
  offer(lows, elements) {
    for (let plane = 0; plane < this.views.length; plane++) {
      const view = this.views[plane].over(lows, elements);
      if (view.length === 0) continue;
      this.keep(plane, view);
      this.produced_[plane] = this.produced_[plane] + view.length;
      this.onPlane?.(plane, view);
    }
  }
  keep(plane, view) {
    const kept = this.kept_[plane];
    let have = this.keptLength[plane];
    const take = Math.min(view.length, kept.length - have);
    for (let index = 0; index < take; index++) kept[have++] = view.at(index);
    this.keptLength[plane] = have;
  }
};
var FlushedCounts = class {
  counters;
  sums = null;
  sinceFlush = 0;
  /** `counters`: a zeroed array to count into (a pooled one), else one of `size` is allocated. */
  constructor(size, counters) {
    this.counters = counters ?? new Uint32Array(size);
  }
  /** `added` more increments went into `counters`. */
  counted(added) {
    this.sinceFlush += added;
    if (this.sinceFlush >= FLUSH_EVERY) this.flush();
  }
  /** Every count so far: the counters themselves until a flush was due. Valid until the next increment. */
  totals() {
    if (this.sums === null) return this.counters;
    this.flush();
    return this.sums;
  }
  flush() {
    if (this.sinceFlush === 0) return;
    const counters = this.counters;
    this.sums ??= new Float64Array(counters.length);
    const sums = this.sums;
    for (let index = 0; index < counters.length; index++) sums[index] += counters[index];
    counters.fill(0);
    this.sinceFlush = 0;
  }
};
var FLUSH_EVERY = 2 ** 30;
var DEFAULT_EXACT_VALUES = 4096;
var BUCKETS = 65536;
var FLOAT32_MAX = 34028234663852886e22;
var MedianSketch = class {
  constructor(exactValues = DEFAULT_EXACT_VALUES) {
    this.exactValues = exactValues;
    this.exact = new Float64Array(Math.min(exactValues, 1024));
  }
  exactValues;
  exact;
  exactLength = 0;
  /** Bucket counts; null while values are kept exactly. */
  counts = null;
  scratch = new Float32Array(0);
  final = null;
  /** Adds a window of values; non-finite ones are ignored. */
  add(values) {
    if (this.final !== null) throw new RangeError("values added to a median sketch after its result");
    if (this.counts === null) {
      const length = this.exactLength + values.length;
      if (length <= this.exactValues) {
        if (length > this.exact.length) this.exact = grow(this.exact, Math.min(this.exactValues, length * 2));
        this.exact.set(values, this.exactLength);
        this.exactLength = length;
        return;
      }
      this.counts = new FlushedCounts(BUCKETS, sparePool.pop());
      this.histogram(this.exact.subarray(0, this.exactLength));
      this.exact = new Float64Array(0);
    }
    this.histogram(values);
  }
  /**
   * The bucket counters, once the histogram has taken over (null while values are kept exactly): a
   * caller that already walks a Float32Array window counts `counters[bits >>> 16]++` itself instead
   * of calling `add`, saving a pass over the values, then calls `counted` with how many it added.
   */
  buckets() {
    return this.counts?.counters ?? null;
  }
  /** `values` more were counted into `buckets()`. */
  counted(values) {
    this.counts?.counted(values);
  }
  /**
   * The median and MAD of the finite values added. The first call ends the sketch: its buckets go
   * back to the pool, since a model's hundreds of tensors each keep their statistics.
   */
  result() {
    this.final ??= this.compute();
    if (this.counts !== null && sparePool.length < MAX_SPARE) {
      this.counts.counters.fill(0);
      sparePool.push(this.counts.counters);
    }
    this.counts = null;
    this.exact = new Float64Array(0);
    this.exactLength = 0;
    return this.final;
  }
  compute() {
    if (this.counts === null) return exactCenter(this.exact.subarray(0, this.exactLength));
    const { values, counts, total } = sortedBuckets(this.counts.totals());
    if (total === 0) return { median: Number.NaN, mad: Number.NaN, exact: false };
    const median = weightedMedian(values, counts, total);
    const deviations = deviationsAscending(values, counts, median);
    return { median, mad: weightedMedian(deviations.values, deviations.counts, total), exact: false };
  }
  histogram(values) {
    const counts = this.counts.counters;
    let floats;
    if (values instanceof Float32Array) {
      floats = values;
    } else {
      if (this.scratch.length < values.length) this.scratch = new Float32Array(values.length);
      floats = this.scratch.subarray(0, values.length);
      for (let index = 0; index < values.length; index++) {
        let value = values[index];
        if (value > FLOAT32_MAX && value !== Number.POSITIVE_INFINITY) value = FLOAT32_MAX;
        else if (value < -FLOAT32_MAX && value !== Number.NEGATIVE_INFINITY) value = -FLOAT32_MAX;
        floats[index] = value;
      }
    }
    const bits = new Uint32Array(floats.buffer, floats.byteOffset, floats.length);
    for (let index = 0; index < bits.length; index++) counts[bits[index] >>> 16]++;
    this.counted(bits.length);
  }
};
var sparePool = [];
var MAX_SPARE = 4;
function grow(array, length) {
  const grown = new Float64Array(length);
  grown.set(array);
  return grown;
}
function exactCenter(values) {
  const finite = values.filter((value) => Number.isFinite(value)).sort();
  if (finite.length === 0) return { median: Number.NaN, mad: Number.NaN, exact: true };
  const median = sortedMedian(finite);
  const deviations = finite.map((value) => Math.abs(value - median)).sort();
  return { median, mad: sortedMedian(deviations), exact: true };
}
function sortedMedian(sorted) {
  const half2 = sorted.length >>> 1;
  return sorted.length % 2 === 1 ? sorted[half2] : (sorted[half2 - 1] + sorted[half2]) / 2;
}
var work = null;
function workArrays() {
  work ??= {
    values: new Float64Array(BUCKETS),
    counts: new Float64Array(BUCKETS),
    deviations: new Float64Array(BUCKETS),
    merged: new Float64Array(BUCKETS)
  };
  return work;
}
var bucketBits = new Uint32Array(2);
var bucketFloats = new Float32Array(bucketBits.buffer);
function representative(key) {
  if ((key & 32767) === 0) return 0;
  bucketBits[0] = key << 16;
  bucketBits[1] = key << 16 | 65535;
  return (bucketFloats[0] + bucketFloats[1]) / 2;
}
function sortedBuckets(histogram) {
  const { values, counts } = workArrays();
  let length = 0;
  let total = 0;
  const keep = (key) => {
    const count = histogram[key];
    if (count === 0) return;
    values[length] = representative(key);
    counts[length++] = count;
    total += count;
  };
  for (let key = 65407; key >= 32768; key--) keep(key);
  for (let key = 0; key <= 32639; key++) keep(key);
  return { values: values.subarray(0, length), counts: counts.subarray(0, length), total };
}
function rankValue(values, counts, rank) {
  let seen = 0;
  for (let index = 0; index < values.length; index++) {
    seen += counts[index];
    if (seen > rank) return values[index];
  }
  return values[values.length - 1];
}
function weightedMedian(values, counts, total) {
  const upper = Math.floor(total / 2);
  if (total % 2 === 1) return rankValue(values, counts, upper);
  return (rankValue(values, counts, upper - 1) + rankValue(values, counts, upper)) / 2;
}
function deviationsAscending(values, counts, center) {
  const arrays = workArrays();
  const deviations = arrays.deviations.subarray(0, values.length);
  const merged = arrays.merged.subarray(0, values.length);
  let right = 0;
  while (right < values.length && values[right] < center) right++;
  let left = right - 1;
  for (let index = 0; index < values.length; index++) {
    const below = left >= 0 ? center - values[left] : Number.POSITIVE_INFINITY;
    const above = right < values.length ? values[right] - center : Number.POSITIVE_INFINITY;
    if (below <= above) {
      deviations[index] = below;
      merged[index] = counts[left--];
    } else {
      deviations[index] = above;
      merged[index] = counts[right++];
    }
  }
  return { values: deviations, counts: merged };
}
var DEFAULT_MAX_ROWS = 65536;
var ROW_SAMPLES = 8;
var RowSummary = class _RowSummary {
  /** Rows the tensor has (its first dimension). */
  rows;
  /** Elements per row (the product of the other dimensions). */
  rowLength;
  squares;
  maxima;
  where;
  /** Per kept row, how many values are > 0 and how many are exactly 0. */
  positives;
  zeros;
  /** Row r's sampled coordinates at r · ROW_SAMPLES ..; positions from `samplePositions`. */
  samples;
  samplePositions;
  row = 0;
  position = 0;
  /** Null when the shape has no rows: rank below 2, or an empty dimension. */
  static for(shape, maxRows = DEFAULT_MAX_ROWS) {
    if (shape.length < 2) return null;
    const rows2 = shape[0];
    const rowLength = shape.slice(1).reduce((product, dimension) => product * dimension, 1);
    if (!Number.isSafeInteger(rows2) || !Number.isSafeInteger(rowLength) || rows2 <= 0 || rowLength <= 0) return null;
    return new _RowSummary(rows2, rowLength, maxRows);
  }
  constructor(rows2, rowLength, maxRows) {
    this.rows = rows2;
    this.rowLength = rowLength;
    const kept = Math.min(rows2, Math.max(0, maxRows));
    this.squares = new Float64Array(kept);
    this.maxima = new Float64Array(kept);
    this.where = new Float64Array(kept);
    this.positives = new Float64Array(kept);
    this.zeros = new Float64Array(kept);
    this.samples = new Float64Array(kept * ROW_SAMPLES);
    this.samplePositions = Array.from(
      { length: ROW_SAMPLES },
      (_, index) => Math.floor((index + 0.5) * rowLength / ROW_SAMPLES)
    );
  }
  /** True when the tensor has more rows than are kept: figures cover the first `kept` rows only. */
  get truncated() {
    return this.rows > this.squares.length;
  }
  get kept() {
    return this.squares.length;
  }
  /** The next values of the tensor, in order. */
  add(values) {
    const kept = this.squares.length;
    const rowLength = this.rowLength;
    let row = this.row;
    let position = this.position;
    let index = 0;
    while (index < values.length && row < kept) {
      const end = Math.min(values.length, index + rowLength - position);
      let squaresA = 0;
      let squaresB = 0;
      let best = this.maxima[row];
      let bestAt = -1;
      let positives = 0;
      let zeros = 0;
      let at = index;
      for (; at + 1 < end; at += 2) {
        const first = values[at];
        const second = values[at + 1];
        squaresA += first * first;
        squaresB += second * second;
        positives += +(first > 0) + +(second > 0);
        zeros += +(first === 0) + +(second === 0);
        const magnitudeA = Math.abs(first);
        const magnitudeB = Math.abs(second);
        if (magnitudeA > best) {
          best = magnitudeA;
          bestAt = at;
        }
        if (magnitudeB > best) {
          best = magnitudeB;
          bestAt = at + 1;
        }
      }
      if (at < end) {
        const last2 = values[at];
        squaresA += last2 * last2;
        positives += +(last2 > 0);
        zeros += +(last2 === 0);
        if (Math.abs(last2) > best) {
          best = Math.abs(last2);
          bestAt = at;
        }
      }
      this.squares[row] += squaresA + squaresB;
      this.positives[row] += positives;
      this.zeros[row] += zeros;
      if (bestAt >= 0) {
        this.maxima[row] = best;
        this.where[row] = position + (bestAt - index);
      }
      const last = position + (end - index);
      for (let sample = 0; sample < ROW_SAMPLES; sample++) {
        const wanted = this.samplePositions[sample];
        if (wanted >= position && wanted < last)
          this.samples[row * ROW_SAMPLES + sample] = values[index + wanted - position];
      }
      position = last;
      index = end;
      if (position === rowLength) {
        row++;
        position = 0;
      }
    }
    this.row = row;
    this.position = position;
  }
  /** The L2 norms of the kept rows (rows not reached because the data ended stay 0). */
  norms() {
    return this.squares.map(Math.sqrt);
  }
  /** Max |value| of each kept row (0 for rows not reached or all zero). */
  maximumValues() {
    return this.maxima;
  }
  /** Index inside its row of each row's max |value| (0 when the row is all zero). */
  maximumPositions() {
    return this.where;
  }
};
var WINDOW_VALUES = 16384;
var TensorStatistics = class {
  constructor(dtype, shape, options = {}) {
    this.dtype = dtype;
    this.shape = shape;
    this.info = dtypeInfo(dtype);
    this.decoder = floatDecoder(dtype);
    this.decodable = this.decoder !== null;
    const words = lowWordBytes(dtype);
    const wholeOrInteger = this.info.class === "integer" || this.info.class === "bool" || words === 1;
    this.wordBytes = wholeOrInteger ? words : null;
    this.lowCounts = this.wordBytes === null ? null : new FlushedCounts(256);
    this.rows = this.decodable ? RowSummary.for(shape, options.maxRows ?? DEFAULT_MAX_ROWS) : null;
    this.sketch = new MedianSketch(options.exactValues ?? DEFAULT_EXACT_VALUES);
    const blocks = Math.max(1, Math.floor(WINDOW_VALUES / this.info.blockElements));
    this.windowBytes = blocks * this.info.blockBytes;
  }
  dtype;
  shape;
  info;
  /** False for dtypes without numbers to decode (complex, the iq, tq and mxfp4 blocks, opaque): only counts and low bytes. */
  decodable;
  /** Elements received (whole blocks' elements for block types). */
  elements = 0;
  /** Finite values; every moment, extreme and robust statistic is over these. */
  finite = 0;
  nan = 0;
  positiveInfinity = 0;
  negativeInfinity = 0;
  zeros = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  /** Running mean and sum of squared deviations from it, of the finite values. */
  runningMean = 0;
  squares = 0;
  /** Low-byte counts; null for block-quantized and opaque types. */
  lowCounts;
  /** Per-row figures of the slices along the first dimension; null below rank 2. */
  rows;
  /** null until `end`; false when the data stopped early. */
  complete = null;
  robust = null;
  decoder;
  sketch;
  wordBytes;
  windowBytes;
  data(chunk, _offset) {
    const whole = chunk.length - chunk.length % this.info.blockBytes;
    this.elements += whole / this.info.blockBytes * this.info.blockElements;
    const decoder = this.decoder;
    if (this.lowCounts !== null) this.countLowBytes(chunk.subarray(0, whole));
    if (decoder === null) return;
    for (let start = 0; start < whole; start += this.windowBytes) {
      const window = chunk.subarray(start, Math.min(whole, start + this.windowBytes));
      const values = decoder.decode(window);
      const buckets = this.sketch.buckets();
      if (buckets !== null && values instanceof Float32Array) {
        this.addFloat32(values, buckets);
        this.sketch.counted(values.length);
      } else {
        this.addValues(values);
        this.sketch.add(values);
      }
      this.rows?.add(values);
    }
  }
  /** Histogram of each word's low byte; null for block-quantized and opaque types. */
  get lowByte() {
    const totals = this.lowCounts?.totals();
    return totals ? Float64Array.from(totals) : null;
  }
  end(complete) {
    if (this.complete !== null) return;
    this.complete = complete;
    this.robust = this.sketch.result();
  }
  get mean() {
    return this.finite > 0 ? this.runningMean : Number.NaN;
  }
  /** Population variance (NumPy's `var`, ddof 0). */
  get variance() {
    return this.finite > 0 ? this.squares / this.finite : Number.NaN;
  }
  get standardDeviation() {
    return Math.sqrt(this.variance);
  }
  get nonFinite() {
    return this.nan + this.positiveInfinity + this.negativeInfinity;
  }
  /** Median of the finite values (exact or within the sketch's bound: see median-sketch.ts); NaN before `end`. */
  get median() {
    return this.robust?.median ?? Number.NaN;
  }
  /** Median absolute deviation from the median, unscaled; NaN before `end`. */
  get mad() {
    return this.robust?.mad ?? Number.NaN;
  }
  /** Whether median and MAD are exact (few values) or sketched. */
  get robustExact() {
    return this.robust?.exact ?? false;
  }
  /** Counts of each word's least significant bit. */
  get lsb() {
    const histogram = this.lowByte;
    if (histogram === null) return null;
    let ones = 0;
    let total = 0;
    for (let byte = 0; byte < 256; byte++) {
      total += histogram[byte];
      if (byte & 1) ones += histogram[byte];
    }
    return { zeros: total - ones, ones };
  }
  summary() {
    const number = (value) => Number.isFinite(value) ? value : null;
    const rows2 = this.rows;
    return {
      dtype: this.dtype,
      decodable: this.decodable,
      complete: this.complete,
      elements: this.elements,
      finite: this.finite,
      nan: this.nan,
      positiveInfinity: this.positiveInfinity,
      negativeInfinity: this.negativeInfinity,
      zeros: this.zeros,
      mean: number(this.mean),
      variance: number(this.variance),
      min: number(this.min),
      max: number(this.max),
      median: number(this.median),
      mad: number(this.mad),
      robustExact: this.robustExact,
      rows: rows2 && { rows: rows2.rows, rowLength: rows2.rowLength, kept: rows2.kept, truncated: rows2.truncated },
      lowByte: this.lowByte && Array.from(this.lowByte),
      lsb: this.lsb
    };
  }
  /**
   * Counts, min/max and moments of one window, in one pass: sums of deviations from a shift (the
   * running mean; for the first window its own mean, by one more pass) and of their squares give the
   * window's mean and squared deviations; with the shift near the mean nothing cancels.
   * The fast loop assumes every value is finite (a NaN or infinity makes the sum non-finite, and
   * the window is then read again by the careful loop).
   */
  addValues(values) {
    const length = values.length;
    if (length === 0) return;
    const shift = this.finite > 0 ? this.runningMean : finiteMean(values);
    let sum = 0;
    let squares = 0;
    let min = this.min;
    let max = this.max;
    let zeros = 0;
    for (let index = 0; index < length; index++) {
      const value = values[index];
      const deviation = value - shift;
      sum += deviation;
      squares += deviation * deviation;
      if (value < min) min = value;
      if (value > max) max = value;
      if (value === 0) zeros++;
    }
    this.settle(values, shift, sum, squares, min, max, zeros);
  }
  /**
   * addValues, the median sketch's bucket counts and (for float32 data) the low-byte histogram of a
   * float32 window in one pass, two values per step (the common case: every pass over the weights
   * costs, and two independent chains of sums run faster than one).
   */
  addFloat32(values, buckets) {
    const length = values.length;
    if (length === 0) return;
    const bits = new Uint32Array(values.buffer, values.byteOffset, length);
    const shift = this.finite > 0 ? this.runningMean : finiteMean(values);
    let sumA = 0;
    let sumB = 0;
    let squaresA = 0;
    let squaresB = 0;
    let min = this.min;
    let max = this.max;
    let zeros = 0;
    const pairs = length & ~1;
    for (let index = 0; index < pairs; index += 2) {
      const first = values[index];
      const second = values[index + 1];
      const deviationA = first - shift;
      const deviationB = second - shift;
      sumA += deviationA;
      sumB += deviationB;
      squaresA += deviationA * deviationA;
      squaresB += deviationB * deviationB;
      if (first < min) min = first;
      if (second < min) min = second;
      if (first > max) max = first;
      if (second > max) max = second;
      if (first === 0) zeros++;
      if (second === 0) zeros++;
      buckets[bits[index] >>> 16]++;
      buckets[bits[index + 1] >>> 16]++;
    }
    if (pairs < length) {
      const last = values[pairs];
      const deviation = last - shift;
      sumA += deviation;
      squaresA += deviation * deviation;
      if (last < min) min = last;
      if (last > max) max = last;
      if (last === 0) zeros++;
      buckets[bits[pairs] >>> 16]++;
    }
    this.settle(values, shift, sumA + sumB, squaresA + squaresB, min, max, zeros);
  }
  /** Merges one window's fast-loop results, or reads the window again carefully when it held a non-finite value. */
  settle(values, shift, sum, squares, min, max, zeros) {
    if (Number.isFinite(sum) && Number.isFinite(squares)) {
      this.min = min;
      this.max = max;
      this.zeros += zeros;
      this.merge(values.length, shift, sum, squares);
    } else {
      this.addCarefully(values, shift);
    }
  }
  /** addValues for a window with non-finite values (or sums too large for the fast loop). */
  addCarefully(values, shift) {
    let finite = 0;
    let sum = 0;
    let squares = 0;
    let min = this.min;
    let max = this.max;
    let zeros = 0;
    let nonFinite = 0;
    for (let index = 0; index < values.length; index++) {
      const value = values[index];
      if (value - value === 0) {
        finite++;
        const deviation = value - shift;
        sum += deviation;
        squares += deviation * deviation;
        if (value < min) min = value;
        if (value > max) max = value;
        if (value === 0) zeros++;
      } else {
        nonFinite++;
      }
    }
    if (nonFinite > 0) this.countNonFinite(values);
    this.min = min;
    this.max = max;
    this.zeros += zeros;
    if (finite > 0) this.merge(finite, shift, sum, squares);
  }
  countNonFinite(values) {
    for (let index = 0; index < values.length; index++) {
      const value = values[index];
      if (value === Number.POSITIVE_INFINITY) this.positiveInfinity++;
      else if (value === Number.NEGATIVE_INFINITY) this.negativeInfinity++;
      else if (Number.isNaN(value)) this.nan++;
    }
  }
  /** Chan et al.: merges a window's count, mean and squared deviations into the running totals. */
  merge(count, shift, sum, squares) {
    const windowMean = shift + sum / count;
    const windowSquares = Math.max(0, squares - sum * sum / count);
    const before = this.finite;
    const total = before + count;
    const delta = windowMean - this.runningMean;
    this.runningMean += delta * count / total;
    this.squares += windowSquares + delta * delta * before / total * count;
    this.finite = total;
  }
  countLowBytes(bytes2) {
    const low = this.lowCounts;
    const counters = low.counters;
    const stride = this.wordBytes;
    for (let index = 0; index < bytes2.length; index += stride) counters[bytes2[index]]++;
    low.counted(Math.ceil(bytes2.length / stride));
  }
};
function finiteMean(values) {
  let count = 0;
  let sum = 0;
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (value - value === 0) {
      count++;
      sum += value;
    }
  }
  return count > 0 && Number.isFinite(sum) ? sum / count : 0;
}

// src/printable-run.ts
var MIN_TEXT_RUN = 64;
var MIN_BASE64_RUN = 64;
var KEPT = 1024;
var PrintableRunCounter = class {
  /** The first qualifying run, once one has ended. */
  found = null;
  position = 0;
  length = 0;
  kept = new Uint8Array(KEPT);
  /**
   * Every byte of `bytes`, in order. Outside a run it skips ahead: a run reaching MIN_TEXT_RUN from
   * here must cover the byte MIN_TEXT_RUN - 1 further on, so when that one is not printable nothing
   * before it can start such a run. Random low bits then cost one look per few dozen bytes.
   */
  pushAll(bytes2) {
    if (this.found !== null) return;
    const length = bytes2.length;
    let index = 0;
    while (index < length) {
      if (this.length === 0) {
        const probe = index + MIN_TEXT_RUN - 1;
        if (probe < length) {
          if (!printable(bytes2.at(probe))) {
            this.position += probe + 1 - index;
            index = probe + 1;
            continue;
          }
          let start = probe;
          while (start > index && printable(bytes2.at(start - 1))) start--;
          this.position += start - index;
          index = start;
        }
      }
      this.push(bytes2.at(index));
      index++;
    }
  }
  push(byte) {
    if (printable(byte)) {
      if (this.length < KEPT) this.kept[this.length] = byte;
      this.length++;
    } else if (this.length > 0) {
      if (this.length >= MIN_TEXT_RUN) this.judge();
      this.length = 0;
    }
    this.position++;
  }
  /** Ends the stream: judges a run still open. */
  end() {
    if (this.length >= MIN_TEXT_RUN) this.judge();
    this.length = 0;
  }
  judge() {
    if (this.found !== null) return;
    const sample = this.kept.subarray(0, Math.min(this.length, KEPT));
    const start = this.position - this.length;
    if (looksLikeText(sample.subarray(0, 256))) {
      this.found = { start, length: this.length, excerpt: String.fromCharCode(...sample.subarray(0, 96)) };
      return;
    }
    const base64 = base64Run(sample);
    if (base64 === null) return;
    const text = sample.subarray(base64.start, base64.start + base64.length);
    this.found = {
      start: start + base64.start,
      // The whole run when it is base64 to its end; else the part seen.
      length: base64.start + base64.length === sample.length ? this.length - base64.start : base64.length,
      excerpt: String.fromCharCode(...text.subarray(0, 96)),
      base64: { start: base64.start, length: base64.length, decoded: decodeBase64(text) }
    };
  }
};
function printable(byte) {
  return byte >= 32 && byte <= 126;
}
function looksLikeText(sample) {
  let letters = 0;
  let spaces = 0;
  const seen = /* @__PURE__ */ new Set();
  for (const byte of sample) {
    if (byte === 32) spaces++;
    else if ((byte | 32) - 97 >>> 0 < 26) letters++;
    seen.add(byte);
  }
  const length = sample.length;
  return (letters + spaces) / length >= 0.55 && spaces >= 3 && spaces / length <= 0.5 && letters / length >= 0.35 && seen.size >= 10;
}
var BASE64_VALUES = new Int8Array(256).fill(-1);
for (const [index, char] of [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].entries()) {
  BASE64_VALUES[char.charCodeAt(0)] = index;
}
BASE64_VALUES[45] = 62;
BASE64_VALUES[95] = 63;
function base64Run(sample) {
  let best = null;
  let runStart = 0;
  for (let index = 0; index <= sample.length; index++) {
    const inAlphabet = index < sample.length && BASE64_VALUES[sample[index]] >= 0;
    if (inAlphabet) continue;
    let end = index;
    while (end < sample.length && end - index < 2 && sample[end] === 61) end++;
    const length = end - runStart;
    if (length >= MIN_BASE64_RUN && (best === null || length > best.length)) best = { start: runStart, length };
    runStart = index + 1;
  }
  if (best === null) return null;
  let upper = 0;
  let lower = 0;
  let digits = 0;
  const seen = /* @__PURE__ */ new Set();
  for (const byte of sample.subarray(best.start, best.start + best.length)) {
    if (byte >= 65 && byte <= 90) upper++;
    else if (byte >= 97 && byte <= 122) lower++;
    else if (byte >= 48 && byte <= 57) digits++;
    seen.add(byte);
  }
  return upper > 0 && lower > 0 && digits > 0 && seen.size >= 12 ? best : null;
}
function decodeBase64(text) {
  const out = new Uint8Array(Math.floor(text.length * 3 / 4));
  let length = 0;
  let acc = 0;
  let bits = 0;
  for (const char of text) {
    const value = BASE64_VALUES[char];
    if (value < 0) break;
    acc = (acc << 6 | value) & 16777215;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[length++] = acc >> bits & 255;
    }
  }
  return out.subarray(0, length);
}

// src/hidden-planes.ts
var SIGNATURE_WINDOW = 64 * 1024;
var HiddenPlaneReader = class {
  /** `byteLength`: the tensor's data size, so a small tensor keeps windows of its own size. */
  constructor(dtype, context, byteLength = Number.POSITIVE_INFINITY) {
    this.context = context;
    const planes = lowBitPlanesFor(dtype);
    this.runs = planes.map(() => new PrintableRunCounter());
    this.planes = new LowBitPlanes(dtype, {
      planes,
      window: SIGNATURE_WINDOW,
      dataBytes: byteLength,
      onPlane: (plane, bytes2) => this.runs[plane].pushAll(bytes2)
    });
  }
  context;
  planes;
  runs;
  /** A plane held more magic numbers than the engine sniffs: some offsets were not identified. */
  limited = false;
  data(chunk, offset) {
    this.planes.data(chunk, offset);
  }
  end(complete) {
    this.planes.end(complete);
    for (const run of this.runs) run.end();
  }
  /** A file in the planes: the shallowest plane first (fewest bits changed per value), a file in base64 after. */
  file() {
    let base64File = null;
    for (const [index, plane] of this.planes.planes.entries()) {
      const kept = this.planes.kept(index);
      const found = this.identify(kept);
      if (found) return { plane, signature: found, head: hex(kept, found.offset), base64: null };
      const text = this.runs[index].found;
      if (base64File === null && text?.base64) {
        const inner = this.identify(text.base64.decoded);
        if (inner) base64File = { plane, signature: inner, head: hex(text.base64.decoded, inner.offset), base64: text };
      }
    }
    return base64File;
  }
  /** Text in the planes (prose first, then base64 that decodes to no file); null when none. */
  text() {
    let encoded = null;
    for (const [index, plane] of this.planes.planes.entries()) {
      const text = this.runs[index].found;
      if (!text) continue;
      if (!text.base64) return { plane, text };
      encoded ??= { plane, text };
    }
    return encoded;
  }
  identify(bytes2) {
    if (bytes2.length === 0) return null;
    const identified = this.context.identify(bytes2, { magicOnly: true });
    if (identified.limited) this.limited = true;
    return identified[0] ?? null;
  }
};
function hex(bytes2, offset) {
  return Buffer.from(bytes2.subarray(offset, offset + 16)).toString("hex");
}

// src/p-value.ts
function erfc(x) {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(
    -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  );
  return x >= 0 ? r : 2 - r;
}
function upperTail(z) {
  return 0.5 * erfc(z / Math.SQRT2);
}
function lowerTail(z) {
  return upperTail(-z);
}

// src/low-bit-statistics.ts
var MIN_EXPECTED_Z = 8;
var MAX_SIGNAL_RATIO = 0.3;
var MIN_BIN_VALUES = 256;
var MAX_P_VALUE = 1e-6;
function layoutOf(dtype) {
  switch (dtype) {
    case "f16":
      return { kind: "float16", mantissa: 10, exponent: 5 };
    case "bf16":
      return { kind: "float16", mantissa: 7, exponent: 8 };
    case "f32":
      return { kind: "float-wide", wordBytes: 4, mantissa: 23 };
    case "f64":
      return { kind: "float-wide", wordBytes: 8, mantissa: 52 };
    case "i8":
    case "u8":
      return { kind: "int", bits: 8, signed: dtype === "i8" };
    case "i16":
    case "u16":
      return { kind: "int", bits: 16, signed: dtype === "i16" };
    default:
      return null;
  }
}
var LowBitHistogram = class {
  layout;
  counters;
  elements = 0;
  constructor(dtype) {
    const layout = layoutOf(dtype);
    if (layout === null) throw new RangeError(`no low-bit statistics for ${dtype}`);
    this.layout = layout;
    const size = layout.kind === "int" && layout.bits === 8 ? 256 : 65536;
    this.counters = (size === 65536 ? sparePool2.pop() : void 0) ?? new Uint32Array(size);
  }
  /** The counts by word (a tensor holds fewer than 2^32 elements per word: no wrap). */
  get counts() {
    return this.counters;
  }
  /** Returns the histogram to the pool; the instance is not used after. */
  release() {
    if (this.counters.length !== 65536 || sparePool2.length >= MAX_SPARE2) return;
    this.counters.fill(0);
    sparePool2.push(this.counters);
  }
  data(chunk) {
    if (this.elements >= MAX_COUNTED) return;
    const counts = this.counters;
    const layout = this.layout;
    if (layout.kind === "int" && layout.bits === 8) {
      for (let at = 0; at < chunk.length; at++) counts[chunk[at]]++;
      this.elements += chunk.length;
      return;
    }
    if (layout.kind !== "float-wide") {
      const pairs = chunk.length >> 1;
      if ((chunk.byteOffset & 1) === 0) {
        const words = new Uint16Array(chunk.buffer, chunk.byteOffset, pairs);
        for (let at = 0; at < pairs; at++) counts[words[at]]++;
      } else {
        for (let at = 0; at < pairs * 2; at += 2) counts[chunk[at] | chunk[at + 1] << 8]++;
      }
      this.elements += pairs;
      return;
    }
    const stride = layout.wordBytes;
    const count = Math.floor(chunk.length / stride);
    if (stride === 4 && (chunk.byteOffset & 3) === 0) {
      const words = new Uint32Array(chunk.buffer, chunk.byteOffset, count);
      for (let at = 0; at < count; at++) {
        const word2 = words[at];
        if ((word2 & 8323072) !== 0) counts[word2 & 65535]++;
      }
    } else {
      const end = count * stride;
      for (let at = 0; at < end; at += stride) {
        const upper = stride === 4 ? chunk[at + 2] & 127 : chunk[at + 2] | chunk[at + 3] | chunk[at + 4] | chunk[at + 5] | chunk[at + 6] & 15;
        if (upper !== 0) counts[chunk[at] | chunk[at + 1] << 8]++;
      }
    }
    this.elements += count;
  }
  end() {
  }
  /** The anomalies, shallowest depth first; empty when the low bits look natural or the tests cannot judge. */
  judge(depths = [1, 2, 4, 8]) {
    const found = [];
    for (const bits of depths) {
      const anomaly = this.layout.kind === "float-wide" ? this.precision(bits) : this.slope(bits);
      if (anomaly) found.push(anomaly);
    }
    return found;
  }
  /** Depths the slope test can read: within the mantissa for floats, half the word for integers. */
  slope(k) {
    const layout = this.layout;
    if (layout.kind === "float-wide") return null;
    const limit = layout.kind === "float16" ? layout.mantissa : layout.bits / 2;
    if (k > limit) return null;
    let statistic = 0;
    let variance = 0;
    let expected = 0;
    let used = 0;
    const size = 1 << k;
    const unitVariance = (1 - 4 ** -k) / 12;
    for (const run of runsOf(layout)) {
      const bins = Math.floor(run.length / size);
      if (bins < 3) continue;
      const n = new Float64Array(bins);
      const offsetSum = new Float64Array(bins);
      const start = new Float64Array(bins + 1);
      for (let bin = 0; bin < bins; bin++) {
        let count = 0;
        let sum = 0;
        for (let inside = 0; inside < size; inside++) {
          const c = this.counts[run.word(bin * size + inside)];
          count += c;
          sum += c * ((inside + 0.5) / size - 0.5);
        }
        n[bin] = count;
        offsetSum[bin] = sum;
        start[bin] = run.position(bin * size);
      }
      start[bins] = run.position(bins * size);
      const width = (bin) => start[bin + 1] - start[bin];
      const centre = (bin) => (start[bin] + start[bin + 1]) / 2;
      const density = (bin) => n[bin] / width(bin);
      for (let bin = 1; bin < bins - 1; bin++) {
        const count = n[bin];
        if (Math.min(count, n[bin - 1], n[bin + 1]) < MIN_BIN_VALUES) continue;
        if (run.binade((bin - 1) * size) !== run.binade((bin + 2) * size - 1)) continue;
        const d = density(bin);
        const leftGap = centre(bin) - centre(bin - 1);
        const rightGap = centre(bin + 1) - centre(bin);
        const left = (d - density(bin - 1)) / leftGap;
        const right = (density(bin + 1) - d) / rightGap;
        const poisson = (b) => n[b] / width(b) ** 2;
        const noise = Math.sqrt(poisson(bin) + Math.max(poisson(bin - 1), poisson(bin + 1))) / Math.min(leftGap, rightGap);
        if (Math.abs(left - right) > 0.5 * Math.max(Math.abs(left), Math.abs(right)) + 2 * noise) continue;
        const span = centre(bin + 1) - centre(bin - 1);
        const scale = width(bin) / d;
        const slope = Math.max(-1, Math.min(1, (density(bin + 1) - density(bin - 1)) / span * scale));
        const slopeVariance = (poisson(bin + 1) + poisson(bin - 1)) / span ** 2 * scale ** 2;
        statistic += slope * offsetSum[bin];
        variance += slope * slope * count * unitVariance;
        expected += count * (slope * slope - slopeVariance) * unitVariance;
        used += count;
      }
    }
    if (variance <= 0) return null;
    const sd = Math.sqrt(variance);
    const expectedZ = expected / sd;
    if (expectedZ < MIN_EXPECTED_Z || statistic >= MAX_SIGNAL_RATIO * expected) return null;
    const pValue = lowerTail((statistic - expected) / sd);
    if (pValue >= MAX_P_VALUE) return null;
    return {
      test: "slope",
      bits: k,
      statistic: statistic / sd,
      expected: expectedZ,
      pValue,
      ...this.entropies(k),
      elements: used
    };
  }
  /** Wide floats: values with zero bits just above the low k, most of which nonetheless have nonzero low bits. */
  precision(k) {
    const counts = this.counts;
    const mask = (1 << k) - 1;
    const middle = 255 << k;
    let zeroMiddle = 0;
    let nonzeroLow = 0;
    let total = 0;
    for (let word2 = 0; word2 < 65536; word2++) {
      const count = counts[word2];
      if (count === 0) continue;
      total += count;
      if ((word2 & middle) !== 0) continue;
      zeroMiddle += count;
      if ((word2 & mask) !== 0) nonzeroLow += count;
    }
    const randomShare = (total - zeroMiddle) / 255;
    const expected = randomShare * (1 - 2 ** -k);
    if (zeroMiddle < 0.5 * total || zeroMiddle < 256 || nonzeroLow < 0.25 * zeroMiddle) return null;
    const z = (nonzeroLow - expected) / Math.sqrt(Math.max(expected, 1));
    const pValue = upperTail(z);
    if (pValue >= MAX_P_VALUE) return null;
    return {
      test: "precision",
      bits: k,
      statistic: nonzeroLow,
      expected,
      pValue,
      ...this.entropies(k),
      elements: zeroMiddle
    };
  }
  /** Shannon entropy of the low k bits and of the k bits above them, from the histogram. */
  entropies(k) {
    const low = new Float64Array(1 << k);
    const next = new Float64Array(1 << k);
    const mask = (1 << k) - 1;
    const words = this.counts.length;
    let total = 0;
    for (let word2 = 0; word2 < words; word2++) {
      const count = this.counts[word2];
      if (count === 0) continue;
      low[word2 & mask] += count;
      next[word2 >> k & mask] += count;
      total += count;
    }
    return { lowEntropy: entropy(low, total), nextEntropy: entropy(next, total) };
  }
};
var sparePool2 = [];
var MAX_SPARE2 = 4;
var MAX_COUNTED = 2 ** 32 - 2 ** 28;
function entropy(histogram, total) {
  if (total === 0) return 0;
  let bits = 0;
  for (const count of histogram) if (count > 0) bits -= count / total * Math.log2(count / total);
  return Math.round(bits * 1e3) / 1e3;
}
function runsOf(layout) {
  if (layout.kind === "int") {
    const span = 2 ** layout.bits;
    const offset = layout.signed ? span / 2 : 0;
    return [
      { length: span, word: (index) => (index - offset + span) % span, position: (index) => index, binade: () => 0 }
    ];
  }
  const { mantissa, exponent } = layout;
  const finite = (1 << exponent) - 1 << mantissa;
  const position = (magnitude) => {
    const e = magnitude >> mantissa;
    const m = magnitude & (1 << mantissa) - 1;
    return e === 0 ? 2 * m : 2 ** e * (2 ** mantissa + m);
  };
  const signBit = 1 << mantissa + exponent;
  const binade = (magnitude) => magnitude >> mantissa;
  return [0, signBit].map((sign) => ({ length: finite, word: (index) => sign | index, position, binade }));
}

// src/periodicity.ts
var MIN_EXCESS_AGREEMENT = 0.1;
var MAX_PERIOD_P = 1e-9;
var MIN_PERIOD_ELEMENTS = 4096;
var LsbPeriodicity = class {
  constructor(wordBytes, elements, maxLag) {
    this.wordBytes = wordBytes;
    this.elements = elements;
    this.maxLag = maxLag;
    this.bits = new Uint32Array(Math.ceil(elements / 32));
    this.values = new Uint32Array(elements);
  }
  wordBytes;
  elements;
  maxLag;
  bits;
  /** A hash of each value kept (the whole word), for the tiling check. */
  values;
  count = 0;
  rising = 0;
  falling = 0;
  data(chunk) {
    const stride = this.wordBytes;
    for (let at = 0; at + stride <= chunk.length && this.count < this.elements; at += stride) {
      let hash = 0;
      for (let byte = stride - 1; byte >= 0; byte--) hash = (Math.imul(hash, 16777619) ^ chunk[at + byte]) >>> 0;
      const index = this.count++;
      if (chunk[at] & 1) this.bits[index >>> 5] |= 1 << (index & 31);
      this.values[index] = hash;
      if (index > 0) {
        const before = this.values[index - 1];
        if (hash !== before) {
          if (rawAbove(chunk, at, stride)) this.rising++;
          else this.falling++;
        }
      }
    }
  }
  end() {
  }
  judge() {
    const n = this.count;
    if (n < MIN_PERIOD_ELEMENTS) return null;
    if (Math.max(this.rising, this.falling) >= 0.9 * (n - 1)) return null;
    let ones = 0;
    const words = Math.floor(n / 32);
    for (let word2 = 0; word2 < words; word2++) ones += popcount(this.bits[word2]);
    const usable = words * 32;
    const p = ones / usable;
    if (p < 0.02 || p > 0.98) return null;
    const expected = p * p + (1 - p) * (1 - p);
    const maxLag = Math.min(this.maxLag, Math.floor(usable / 4));
    let best = null;
    for (let lag = 1; lag <= maxLag; lag++) {
      const shift = lag >>> 5;
      const rest = lag & 31;
      const pairs = words - shift - 1;
      let agree = 0;
      for (let word2 = 0; word2 < pairs; word2++) {
        const shifted = rest === 0 ? this.bits[word2 + shift] : this.bits[word2 + shift] >>> rest | this.bits[word2 + shift + 1] << 32 - rest;
        agree += 32 - popcount(this.bits[word2] ^ shifted);
      }
      const total = pairs * 32;
      const agreement = agree / total;
      if (agreement - expected < MIN_EXCESS_AGREEMENT) continue;
      const z = (agree - expected * total) / Math.sqrt(total * expected * (1 - expected));
      const pValue = Math.min(1, upperTail(z) * maxLag);
      if (pValue >= MAX_PERIOD_P) continue;
      if (best !== null && agreement <= best.agreement) continue;
      let equal = 0;
      for (let index = 0; index + lag < n; index++) if (this.values[index] === this.values[index + lag]) equal++;
      const equalValues = equal / (n - lag);
      if (equalValues > 0.5 * (agreement - expected)) continue;
      best = { lag, agreement, expected, equalValues, pValue, elements: n };
    }
    return best;
  }
};
function rawAbove(chunk, at, stride) {
  for (let byte = stride - 1; byte >= 0; byte--) {
    const now = chunk[at + byte];
    const before = at - stride + byte >= 0 ? chunk[at - stride + byte] : -1;
    if (now !== before) return now > before;
  }
  return false;
}
function popcount(value) {
  let v = value - (value >>> 1 & 1431655765);
  v = (v & 858993459) + (v >>> 2 & 858993459);
  return Math.imul(v + (v >>> 4) & 252645135, 16843009) >>> 24 & 255;
}

// .scratch/bench.ts
var tensors = 16;
var rows = 1024;
var cols = 1024;
var data = new Float32Array(rows * cols);
var seed = 2654435769;
for (let i = 0; i < data.length; i++) {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  data[i] = ((seed >>> 0) / 4294967296 - 0.5) * 0.08;
}
var bytes = new Uint8Array(data.buffer);
var CHUNK = 4 << 20;
var ctx = { identify: () => Object.assign([], { limited: false }) };
var makers = {
  stats: () => new TensorStatistics("f32", [rows, cols]),
  hiddenPlanes: () => new HiddenPlaneReader("f32", ctx),
  lowBitHistogram: () => {
    const h = new LowBitHistogram("f32");
    return { data: (c) => h.data(c), end: () => {
    } };
  },
  periodicity: () => {
    const p = new LsbPeriodicity(4, 1 << 15, 512);
    return { data: (c) => p.data(c), end: () => {
    } };
  }
};
var only = process.argv[2];
for (const [name, make] of Object.entries(makers)) {
  if (only && name !== only) continue;
  for (let round = 0; round < 4; round++) {
    const t0 = process.cpuUsage().user / 1e3;
    for (let t = 0; t < tensors; t++) {
      const c = make();
      for (let off = 0; off < bytes.length; off += CHUNK) c.data(bytes.subarray(off, off + CHUNK), off);
      c.end(true);
    }
    const ms = process.cpuUsage().user / 1e3 - t0;
    if (round >= 1) console.log(name.padEnd(16), `${ms.toFixed(0)} ms  ${(tensors * bytes.length / 1048576 / (ms / 1e3)).toFixed(0)} MiB/s  ${(ms * 1e6 / (tensors * data.length)).toFixed(2)} ns/value`);
  }
}
