/**
 * The backdoor checks of one finished tensor, as pure functions of its shared statistics (the row
 * summary) and the few extras the detector keeps. Each returns at most one verdict per rule (naming every row it concerns, up to
 * MAX_ROWS_LISTED) with the numbers behind it. Rows one check explains are left out of the later
 * ones (a trigger filter also has an outlier norm: it is reported once, as the trigger).
 */

import { ROW_SAMPLES, type RowSummary } from "@modelaudit/tensors";
import { center, evidenceThresholdFor, leaveOneOutScores, type Score, thresholdFor } from "./robust.js";

/** Rows named in one finding; the count says how many in all. */
export const MAX_ROWS_LISTED = 8;
/** Log-norm spread floor: real layers' row norms never agree to better than ~5% (random init of 64-wide rows: 6%). */
export const NORM_SPREAD_FLOOR = 0.05;
/** A neuron must be at least this many times the layer's median norm to be an implant worth naming. */
export const MIN_NORM_RATIO = 1.5;
/** One value carries at least this share of its row's squared norm. */
export const DOMINANT_SHARE = 0.5;
/** Values within this fraction of a row's largest |value| count as "near-identical" to it. */
export const PLATEAU_TOLERANCE = 0.02;
/** A trigger patch has at least this many near-identical large values. */
export const MIN_PATCH = 4;
/** Rows zeroed: this share of the layer's rows, with a few left. */
export const PRUNED_SHARE = 0.75;

export interface Layer {
  name: string;
  shape: readonly number[];
  /** Integer weights: quantized values tie by construction, so plateau checks do not apply. */
  integer: boolean;
  /** Per-row figures of the kept rows (shared statistics). */
  summary: RowSummary;
  /** Per row of a trigger candidate, the largest values with their signs, largest first; null otherwise. */
  top: Float64Array[] | null;
  /** Row L2 norms of the kept rows (shared statistics); null below rank 2. */
  norms: Float64Array | null;
  /** Median and σ estimate (1.4826 · MAD) of every value of the tensor. */
  valueMedian: number;
  valueSpread: number;
}

export interface Check {
  rule: string;
  messageId: string;
  data: Record<string, string | number>;
  confidence?: number;
  /** A line on the rule's check (what could not be judged and why), not a finding. */
  note?: boolean;
}

export interface Settings {
  /** Robust z threshold for large layers (default 6). */
  threshold: number;
}

export function unitOf(layer: Layer): string {
  return layer.shape.length >= 3 ? "filter" : "neuron";
}

/** Row indices as text, at most MAX_ROWS_LISTED. */
function listRows(rows: readonly number[]): string {
  const shown = rows.slice(0, MAX_ROWS_LISTED).join(", ");
  return rows.length > MAX_ROWS_LISTED ? `${shown}, …` : shown;
}

function round(value: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function number(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

/** Rows entirely zero, and rows zero except a few values while the rest of the layer is dense. */
export function pruningMask(layer: Layer, explained: Set<number>): Check | null {
  const { summary } = layer;
  const rows = summary.kept;
  if (rows < 8 || summary.rowLength < 4) return null;
  const zeroRows: number[] = [];
  const live: number[] = [];
  for (let row = 0; row < rows; row++) (summary.zeros[row] === summary.rowLength ? zeroRows : live).push(row);
  if (live.length > 0 && zeroRows.length >= PRUNED_SHARE * rows) {
    for (const row of zeroRows) explained.add(row);
    for (const row of live) explained.add(row);
    return {
      rule: "pruning-mask",
      messageId: "rows",
      data: { zeroRows: zeroRows.length, rows, liveRows: listRows(live), live: live.length, unit: unitOf(layer) },
    };
  }
  if (summary.rowLength < 16) return null;
  const fractions = live.map((row) => summary.zeros[row]! / summary.rowLength);
  const typical = center(fractions).median;
  const sparse = live.filter((_, index) => fractions[index]! >= 0.9);
  if (typical > 0.1 || sparse.length === 0 || sparse.length > Math.max(1, 0.1 * rows)) return null;
  for (const row of sparse) explained.add(row);
  const kept = Math.round(summary.rowLength - summary.zeros[sparse[0]!]!);
  return {
    rule: "pruning-mask",
    messageId: "sparseRows",
    data: {
      count: sparse.length,
      rows,
      sparseRows: listRows(sparse),
      kept,
      rowLength: summary.rowLength,
      typical: `${(typical * 100).toFixed(1)}%`,
      unit: unitOf(layer),
    },
  };
}

/**
 * Trigger candidates only (first convolutions, embeddings): a row whose largest values form a
 * plateau of near-identical large weights, as a stamped trigger patch does.
 */
export function triggerPatch(layer: Layer, settings: Settings, explained: Set<number>): Check | null {
  const top = layer.top;
  if (top === null || layer.integer || !(layer.valueSpread > 0)) return null;
  const found: { row: number; size: number; value: number; z: number }[] = [];
  for (let row = 0; row < top.length; row++) {
    const values = top[row]!;
    if (values.length === 0 || explained.has(row)) continue;
    const largest = values[0]!;
    const z = (Math.abs(largest) - Math.abs(layer.valueMedian)) / layer.valueSpread;
    if (!(z >= settings.threshold)) continue;
    let size = 0;
    for (const value of values) {
      if (Math.sign(value) === Math.sign(largest) && Math.abs(value) >= (1 - PLATEAU_TOLERANCE) * Math.abs(largest))
        size++;
    }
    if (size >= MIN_PATCH) found.push({ row, size, value: largest, z });
  }
  if (found.length === 0) return null;
  for (const { row } of found) explained.add(row);
  const strongest = found.reduce((best, item) => (item.z > best.z ? item : best));
  return {
    rule: "trigger-patch",
    messageId: layer.shape.length >= 3 ? "filter" : "row",
    data: {
      count: found.length,
      rows: listRows(found.map((item) => item.row)),
      size: `${strongest.size}${strongest.size >= layer.top![strongest.row]!.length ? "+" : ""}`,
      value: number(strongest.value),
      z: round(strongest.z, 1),
      threshold: settings.threshold,
      spread: number(layer.valueSpread),
    },
    confidence: strongest.size >= 8 ? 0.7 : 0.6,
  };
}

/** Rows where one value carries most of the norm and stands far out of the layer (the old 12σ note, per row). */
export function dominatedRows(layer: Layer, settings: Settings, explained: Set<number>): Check | null {
  const { summary, norms } = layer;
  const maxima = summary.maximumValues();
  if (!norms || summary.rowLength < 16 || !(layer.valueSpread > 0)) return null;
  const limit = 2 * settings.threshold;
  const found: { row: number; share: number; z: number; value: number; at: number }[] = [];
  for (let row = 0; row < maxima.length; row++) {
    const norm = norms[row]!;
    if (!(norm > 0) || explained.has(row) || summary.zeros[row]! * 2 > summary.rowLength) continue;
    const largest = maxima[row]!;
    const share = (largest * largest) / (norm * norm);
    const z = (largest - Math.abs(layer.valueMedian)) / layer.valueSpread;
    if (share >= DOMINANT_SHARE && z >= limit) {
      found.push({ row, share, z, value: largest, at: summary.maximumPositions()[row]! });
    }
  }
  if (found.length === 0) return null;
  for (const { row } of found) explained.add(row);
  const strongest = found.reduce((best, item) => (item.z > best.z ? item : best));
  return {
    rule: "dominated-row",
    messageId: "dominated",
    data: {
      count: found.length,
      rows: listRows(found.map((item) => item.row)),
      unit: unitOf(layer),
      share: `${(strongest.share * 100).toFixed(1)}%`,
      value: number(strongest.value),
      index: strongest.at,
      z: round(strongest.z, 1),
      threshold: limit,
      spread: number(layer.valueSpread),
    },
    confidence: 0.5,
  };
}

interface NormOutliers {
  outliers: Score[];
  threshold: number;
  rows: number;
  /** Index into the kept rows of each score's row. */
  rowOf: number[];
}

/** Robust z of each live row's log norm against the others; `sign` -1 for rows far smaller. */
function normOutliers(
  layer: Layer,
  settings: Settings,
  explained: Set<number>,
  sign: 1 | -1,
  thresholdOf: (base: number, n: number) => number = thresholdFor,
): NormOutliers | null {
  const norms = layer.norms;
  if (!norms || layer.summary.rowLength < 4) return null;
  const rowOf: number[] = [];
  const logs: number[] = [];
  for (let row = 0; row < norms.length; row++) {
    if (norms[row]! > 0 && Number.isFinite(norms[row]!) && !explained.has(row)) {
      rowOf.push(row);
      logs.push(Math.log(norms[row]!));
    }
  }
  if (logs.length < 4) return null;
  const threshold = thresholdOf(settings.threshold, logs.length);
  const minLog = Math.log(sign === 1 ? MIN_NORM_RATIO : 2);
  const outliers = leaveOneOutScores(logs, NORM_SPREAD_FLOOR, sign).filter(
    (score) => score.z > threshold && sign * (score.value - score.median) >= minLog,
  );
  return { outliers, threshold, rows: logs.length, rowOf };
}

/**
 * Output neurons or filters whose norm is a robust outlier in their layer. The z is this rule's only
 * evidence, so its threshold allows for the MAD's sampling error (`evidenceThresholdFor`).
 */
export function outlierNeurons(layer: Layer, settings: Settings, explained: Set<number>): Check | null {
  const result = normOutliers(layer, settings, explained, 1, evidenceThresholdFor);
  if (!result || result.outliers.length === 0) return null;
  const [strongest] = result.outliers as [Score];
  const rows = result.outliers.map((score) => result.rowOf[score.index]!);
  for (const row of rows) explained.add(row);
  return {
    rule: "outlier-neuron",
    messageId: "outlier",
    data: {
      count: rows.length,
      unit: unitOf(layer),
      rows: listRows(rows),
      z: round(strongest.z, 1),
      threshold: round(result.threshold, 1),
      ratio: round(Math.exp(strongest.value - strongest.median), 2),
      norm: number(Math.exp(strongest.value)),
      median: number(Math.exp(strongest.median)),
      layerRows: result.rows,
    },
    confidence: Math.min(0.75, 0.45 + 0.01 * (strongest.z - result.threshold)),
  };
}

/** A classifier head's class rows: one differing in scale (either way) or in its share of positive weights. */
export function classifierRows(layer: Layer, settings: Settings, explained: Set<number>): Check[] {
  const checks: Check[] = [];
  const { summary } = layer;
  for (const sign of [1, -1] as const) {
    const result = normOutliers(layer, settings, explained, sign);
    if (!result || result.outliers.length === 0) continue;
    const [strongest] = result.outliers as [Score];
    const rows = result.outliers.map((score) => result.rowOf[score.index]!);
    for (const row of rows) explained.add(row);
    checks.push({
      rule: "classifier-row",
      messageId: sign === 1 ? "larger" : "smaller",
      data: {
        count: rows.length,
        rows: listRows(rows),
        classes: summary.rows,
        z: round(strongest.z, 1),
        threshold: round(result.threshold, 1),
        ratio: round(Math.exp(sign * (strongest.value - strongest.median)), 2),
        norm: number(Math.exp(strongest.value)),
        median: number(Math.exp(strongest.median)),
      },
      confidence: 0.6,
    });
  }
  if (summary.kept >= 4 && summary.rowLength >= 16) {
    const candidates: number[] = [];
    const shares: number[] = [];
    for (let row = 0; row < summary.kept; row++) {
      if (explained.has(row) || summary.zeros[row] === summary.rowLength) continue;
      candidates.push(row);
      shares.push(summary.positives[row]! / summary.rowLength);
    }
    // The floor is the binomial spread of a fair sign: rows of independent signs never agree better.
    // A known spread needs no small-sample allowance, so the threshold is the base one.
    const floor = 0.5 / Math.sqrt(summary.rowLength);
    const threshold = settings.threshold;
    const scores = [...leaveOneOutScores(shares, floor, 1), ...leaveOneOutScores(shares, floor, -1)]
      .filter((score) => score.z > threshold && Math.abs(score.value - score.median) >= 0.25)
      .sort((a, b) => b.z - a.z);
    if (scores.length > 0) {
      const [strongest] = scores as [Score];
      const rows = [...new Set(scores.map((score) => candidates[score.index]!))];
      checks.push({
        rule: "classifier-row",
        messageId: "sign",
        data: {
          count: rows.length,
          rows: listRows(rows),
          classes: summary.rows,
          positive: `${(strongest.value * 100).toFixed(1)}%`,
          typical: `${(strongest.median * 100).toFixed(1)}%`,
          z: round(strongest.z, 1),
          threshold: round(threshold, 1),
        },
        confidence: 0.6,
      });
    }
  }
  return checks;
}

/**
 * Chance matches of the sampled signature a layer may have before its rows cannot be judged from
 * samples: rows drawn from a few values (pruning masks of 0/1, ternary or binary weights) agree on
 * ROW_SAMPLES coordinates by chance, and a "twin" there says nothing.
 */
export const MAX_CHANCE_MATCHES = 0.01;

/**
 * Rows that repeat another row: the same norm, the same sampled coordinates, and the same row figures
 * the summary keeps (largest |value| and where it sits, counts of positive and zero values), all of
 * which a copied neuron shares. Returns a `note` instead of a finding when the layer's rows take so
 * few distinct values that unrelated rows would match on the samples by chance.
 */
export function duplicateRows(layer: Layer): Check | null {
  const { summary, norms } = layer;
  if (!norms || summary.kept < 2 || summary.rowLength < 8 || layer.integer) return null;
  // Rows are first grouped by their norm to 4 significant digits (a number, no strings): only rows
  // whose norms agree are compared on their sampled coordinates.
  const byNorm = new Map<number, number[]>();
  for (let row = 0; row < summary.kept; row++) {
    const norm = norms[row]!;
    if (!(norm > 0) || !Number.isFinite(norm)) continue;
    const key = roundSignificant(norm);
    const group = byNorm.get(key);
    if (group) group.push(row);
    else byNorm.set(key, [row]);
  }
  // Each row's sampled coordinates over its norm, rounded to 4 decimals, as integers: compared by a
  // numeric fingerprint first and then coordinate by coordinate (norms of random rows agree to 4
  // digits often, so strings built per row cost more than the whole check).
  const rounded = (row: number, sample: number) =>
    Math.round((summary.samples[row * ROW_SAMPLES + sample]! / norms[row]!) * 1e4);
  // How likely two unrelated rows of equal norm agree on every sample: q^ROW_SAMPLES, q the chance
  // that two sampled coordinates of the group agree (pairs of equal rounded values over all pairs,
  // per norm group: rows of other norms have other values over their norm). Continuous weights have
  // q ≈ 0 (the signature ≈ 1e-24); a 0/1 mask q ≈ 0.5 (≈ 0.004 per pair of rows).
  let chance = 0;
  let distinct = 0;
  let candidatePairs = 0;
  const counts = new Map<number, number>();
  for (const group of byNorm.values()) {
    if (group.length < 2) continue;
    candidatePairs += (group.length * (group.length - 1)) / 2;
    counts.clear();
    for (const row of group) {
      for (let sample = 0; sample < ROW_SAMPLES; sample++) {
        const key = rounded(row, sample);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    const sampled = group.length * ROW_SAMPLES;
    let agreeing = 0;
    for (const count of counts.values()) agreeing += count * (count - 1);
    distinct = Math.max(distinct, counts.size);
    chance += ((group.length * (group.length - 1)) / 2) * (agreeing / (sampled * (sampled - 1))) ** ROW_SAMPLES;
  }
  if (candidatePairs === 0) return null;
  if (chance > MAX_CHANCE_MATCHES) {
    return {
      rule: "duplicate-neurons",
      messageId: "undecidable",
      data: {
        distinct,
        chance: chance.toPrecision(2),
        layerRows: summary.kept,
        unit: unitOf(layer),
      },
      note: true,
    };
  }
  const maxima = summary.maximumValues();
  const where = summary.maximumPositions();
  // The figures a copy shares exactly: the largest |value| (to 4 significant digits, as the norm),
  // its position, and the counts of positive and zero values.
  const twins = (left: number, right: number) => {
    if (where[left] !== where[right] || summary.zeros[left] !== summary.zeros[right]) return false;
    if (summary.positives[left] !== summary.positives[right]) return false;
    if (roundSignificant(maxima[left]!) !== roundSignificant(maxima[right]!)) return false;
    for (let sample = 0; sample < ROW_SAMPLES; sample++)
      if (rounded(left, sample) !== rounded(right, sample)) return false;
    return true;
  };
  const pairs: [number, number][] = [];
  for (const group of byNorm.values()) {
    if (group.length < 2) continue;
    const seen = new Map<number, number[]>();
    for (const row of group) {
      let fingerprint = where[row]! | 0;
      for (let sample = 0; sample < ROW_SAMPLES; sample++) fingerprint = (fingerprint * 31 + rounded(row, sample)) | 0;
      const earlier = seen.get(fingerprint);
      const first = earlier?.find((candidate) => twins(candidate, row));
      if (first !== undefined) pairs.push([first, row]);
      else if (earlier) earlier.push(row);
      else seen.set(fingerprint, [row]);
    }
  }
  pairs.sort((left, right) => left[1] - right[1]);
  // Most rows alike is a constant or placeholder layer, not a copied neuron.
  if (pairs.length === 0 || pairs.length * 2 >= summary.kept) return null;
  return {
    rule: "duplicate-neurons",
    messageId: "duplicate",
    data: {
      count: pairs.length,
      unit: unitOf(layer),
      pairs: pairs
        .slice(0, MAX_ROWS_LISTED)
        .map(([first, second]) => `${first}=${second}`)
        .join(", "),
      layerRows: summary.kept,
    },
  };
}

/** A positive number rounded to 4 significant digits, as a number (what toPrecision(4) spells). */
function roundSignificant(value: number): number {
  const scale = 10 ** (3 - Math.floor(Math.log10(value)));
  return Math.round(value * scale) / scale;
}

/** A bias far out of its layer's range: beyond the others' range by more than that range's width, and a robust outlier. */
export function biasOutlier(values: Float64Array, settings: Settings): Check | null {
  const n = values.length;
  if (n < 4) return null;
  const finite = Array.from(values).filter(Number.isFinite);
  if (finite.length < 4) return null;
  const threshold = thresholdFor(settings.threshold, finite.length);
  let best: { index: number; z: number; value: number; low: number; high: number; median: number } | null = null;
  for (const sign of [1, -1] as const) {
    const [score] = leaveOneOutScores(finite, 0, sign);
    if (!score) continue;
    // A loop, not Math.min(...others): a spread of 65536 arguments is close to V8's limit.
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    for (let index = 0; index < finite.length; index++) {
      if (index === score.index) continue;
      if (finite[index]! < low) low = finite[index]!;
      if (finite[index]! > high) high = finite[index]!;
    }
    const beyond = sign === 1 ? score.value - high : low - score.value;
    const z = score.spread > 0 ? score.z : beyond > 0 ? Number.POSITIVE_INFINITY : 0;
    if (z > threshold && beyond > high - low && (best === null || z > best.z)) {
      best = { index: score.index, z, value: score.value, low, high, median: score.median };
    }
  }
  if (best === null) return null;
  return {
    rule: "bias-outlier",
    messageId: "bias",
    data: {
      index: best.index,
      value: number(best.value),
      low: number(best.low),
      high: number(best.high),
      median: number(best.median),
      z: Number.isFinite(best.z) ? round(best.z, 1) : "∞ (the other biases are all equal)",
      threshold: round(threshold, 1),
      values: finite.length,
    },
  };
}

/** The evidence each side of a cross-layer pair needs: half the single-layer threshold, and 1.3× the median. */
export const CROSS_LAYER_SHARE = 0.5;
export const MIN_CROSS_RATIO = 1.3;

/** Log-norm scores (high side) of a layer's rows or columns, by index; NaN for zero or non-finite norms. */
function logNormScores(norms: ArrayLike<number>): { z: Float64Array; ratio: Float64Array; count: number } {
  const index: number[] = [];
  const logs: number[] = [];
  for (let at = 0; at < norms.length; at++) {
    if (norms[at]! > 0 && Number.isFinite(norms[at]!)) {
      index.push(at);
      logs.push(Math.log(norms[at]!));
    }
  }
  const z = new Float64Array(norms.length).fill(Number.NaN);
  const ratio = new Float64Array(norms.length).fill(Number.NaN);
  for (const score of leaveOneOutScores(logs, NORM_SPREAD_FLOOR, 1)) {
    z[index[score.index]!] = score.z;
    ratio[index[score.index]!] = Math.exp(score.value - score.median);
  }
  return { z, ratio, count: logs.length };
}

/**
 * `thorough`: an output neuron or channel of one layer whose norm stands out, feeding an input
 * column of the next layer whose norm stands out too. Each side needs only half the single-layer
 * threshold: an implant that boosts a path a little at both ends shows at both, while natural
 * layers' moderately large rows and columns do not line up.
 */
export function crossLayer(
  rows: Float64Array,
  columnSquares: Float64Array,
  settings: Settings,
): { rows: number[]; zOut: number; zIn: number; ratioOut: number; ratioIn: number; threshold: number } | null {
  if (rows.length !== columnSquares.length || rows.length < 4) return null;
  const out = logNormScores(rows);
  const into = logNormScores(columnSquares.map(Math.sqrt));
  const threshold = thresholdFor(CROSS_LAYER_SHARE * settings.threshold, Math.min(out.count, into.count));
  const found: number[] = [];
  let best = -1;
  for (let at = 0; at < rows.length; at++) {
    if (!(out.z[at]! > threshold && into.z[at]! > threshold)) continue;
    if (!(out.ratio[at]! >= MIN_CROSS_RATIO && into.ratio[at]! >= MIN_CROSS_RATIO)) continue;
    found.push(at);
    if (best < 0 || Math.min(out.z[at]!, into.z[at]!) > Math.min(out.z[best]!, into.z[best]!)) best = at;
  }
  if (best < 0) return null;
  return {
    rows: found,
    zOut: round(out.z[best]!, 1),
    zIn: round(into.z[best]!, 1),
    ratioOut: round(out.ratio[best]!, 2),
    ratioIn: round(into.ratio[best]!, 2),
    threshold: round(threshold, 1),
  };
}

export function listed(rows: readonly number[]): string {
  return listRows(rows);
}
