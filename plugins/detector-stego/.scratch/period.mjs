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
    const n2 = this.count;
    if (n2 < MIN_PERIOD_ELEMENTS) return null;
    if (Math.max(this.rising, this.falling) >= 0.9 * (n2 - 1)) return null;
    let ones = 0;
    const words = Math.floor(n2 / 32);
    for (let word = 0; word < words; word++) ones += popcount(this.bits[word]);
    const usable = words * 32;
    const p = ones / usable;
    if (p < 0.02 || p > 0.98) return null;
    const expected = p * p + (1 - p) * (1 - p);
    const maxLag = Math.min(this.maxLag, Math.floor(usable / 4));
    let best = null;
    const bits = this.bits;
    for (let lag = 1; lag <= maxLag; lag++) {
      const pairs = words - (lag >>> 5) - 1;
      const agree = pairs * 32 - disagreements(bits, lag, pairs);
      const total = pairs * 32;
      const agreement = agree / total;
      if (agreement - expected < MIN_EXCESS_AGREEMENT) continue;
      const z = (agree - expected * total) / Math.sqrt(total * expected * (1 - expected));
      const pValue = Math.min(1, upperTail(z) * maxLag);
      if (pValue >= MAX_PERIOD_P) continue;
      if (best !== null && agreement <= best.agreement) continue;
      let equal = 0;
      for (let index = 0; index + lag < n2; index++) if (this.values[index] === this.values[index + lag]) equal++;
      const equalValues = equal / (n2 - lag);
      if (equalValues > 0.5 * (agreement - expected)) continue;
      best = { lag, agreement, expected, equalValues, pValue, elements: n2 };
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
function disagreements(bits, lag, pairs) {
  const shift = lag >>> 5;
  const rest = lag & 31;
  let count = 0;
  if (rest === 0) {
    for (let word = 0; word < pairs; word++) {
      let v = bits[word] ^ bits[word + shift];
      v -= v >>> 1 & 1431655765;
      v = (v & 858993459) + (v >>> 2 & 858993459);
      count += Math.imul(v + (v >>> 4) & 252645135, 16843009) >>> 24;
    }
    return count;
  }
  const left = 32 - rest;
  for (let word = 0; word < pairs; word++) {
    let v = bits[word] ^ (bits[word + shift] >>> rest | bits[word + shift + 1] << left);
    v -= v >>> 1 & 1431655765;
    v = (v & 858993459) + (v >>> 2 & 858993459);
    count += Math.imul(v + (v >>> 4) & 252645135, 16843009) >>> 24;
  }
  return count;
}
function popcount(value) {
  let v = value - (value >>> 1 & 1431655765);
  v = (v & 858993459) + (v >>> 2 & 858993459);
  return Math.imul(v + (v >>> 4) & 252645135, 16843009) >>> 24 & 255;
}

// .scratch/period.ts
var n = 1 << 17;
var data = new Float32Array(n);
for (let i = 0; i < n; i++) data[i] = Math.random() - 0.5;
var bytes = new Uint8Array(data.buffer);
for (let r = 0; r < 3; r++) {
  const p = new LsbPeriodicity(4, n, 4096);
  p.data(bytes);
  const t = process.cpuUsage().user;
  p.judge();
  console.log("judge 128K x 4096 lags", ((process.cpuUsage().user - t) / 1e3).toFixed(0), "ms cpu");
}
