/**
 * The backdoor checks of one finished tensor, as pure functions of its shared statistics (the row
 * summary) and the few extras the detector keeps. Each returns at most one verdict per rule (naming every row it concerns, up to
 * MAX_ROWS_LISTED) with the numbers behind it. Rows one check explains are left out of the later
 * ones (a trigger filter also has an outlier norm: it is reported once, as the trigger).
 */

import { ROW_SAMPLES, type RowSummary, type TopMagnitudes } from "@modelaudit/tensors";
import {
  center,
  eachLeaveOneOutScore,
  evidenceThresholdFor,
  leaveOneOutOutliers,
  leaveOneOutScores,
  type Score,
  thresholdFor,
} from "./robust.js";

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
  top: TopMagnitudes | null;
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
  const rowLength = summary.rowLength;
  if (rows < 8 || rowLength < 4) return null;
  // Counted first: most layers have no zero or sparse row, and then no list is built.
  let zeroRowCount = 0;
  let sparseCount = 0;
  for (let row = 0; row < rows; row++) {
    const zeros = summary.zeros[row]!;
    if (zeros === rowLength) zeroRowCount++;
    else if (zeros / rowLength >= 0.9) sparseCount++;
  }
  const pruned = zeroRowCount < rows && zeroRowCount >= PRUNED_SHARE * rows;
  if (!pruned && (rowLength < 16 || sparseCount === 0 || sparseCount > Math.max(1, 0.1 * rows))) return null;
  const zeroRows: number[] = [];
  const live: number[] = [];
  for (let row = 0; row < rows; row++) (summary.zeros[row] === rowLength ? zeroRows : live).push(row);
  if (pruned) {
    for (const row of zeroRows) explained.add(row);
    for (const row of live) explained.add(row);
    return {
      rule: "pruning-mask",
      messageId: "rows",
      data: { zeroRows: zeroRows.length, rows, liveRows: listRows(live), live: live.length, unit: unitOf(layer) },
    };
  }
  const fractions = live.map((row) => summary.zeros[row]! / rowLength);
  const typical = center(fractions).median;
  if (typical > 0.1) return null;
  const sparse = live.filter((_, index) => fractions[index]! >= 0.9);
  for (const row of sparse) explained.add(row);
  const kept = Math.round(rowLength - summary.zeros[sparse[0]!]!);
  return {
    rule: "pruning-mask",
    messageId: "sparseRows",
    data: {
      count: sparse.length,
      rows,
      sparseRows: listRows(sparse),
      kept,
      rowLength,
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
  for (let row = 0; row < top.rows; row++) {
    const values = top.row(row);
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
      size: `${strongest.size}${strongest.size >= layer.top!.row(strongest.row).length ? "+" : ""}`,
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
  /** The kept row of each outlier, in their order (a score's index counts live rows only). */
  outlierRows: number[];
}

/** Live rows' indices and log norms of `normOutliers`, reused (the checks run synchronously). */
let liveRows = new Int32Array(0);
let liveLogs = new Float64Array(0);

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
  if (liveRows.length < norms.length) {
    liveRows = new Int32Array(norms.length);
    liveLogs = new Float64Array(norms.length);
  }
  let live = 0;
  for (let row = 0; row < norms.length; row++) {
    const norm = norms[row]!;
    if (norm > 0 && Number.isFinite(norm) && !explained.has(row)) {
      liveRows[live] = row;
      liveLogs[live++] = Math.log(norm);
    }
  }
  if (live < 4) return null;
  const threshold = thresholdOf(settings.threshold, live);
  const minLog = Math.log(sign === 1 ? MIN_NORM_RATIO : 2);
  const outliers = leaveOneOutOutliers(
    liveLogs.subarray(0, live),
    NORM_SPREAD_FLOOR,
    sign,
    (z, value, median) => z > threshold && sign * (value - median) >= minLog,
  );
  return { outliers, threshold, rows: live, outlierRows: outliers.map((score) => liveRows[score.index]!) };
}

/**
 * Output neurons or filters whose norm is a robust outlier in their layer. The z is this rule's only
 * evidence, so its threshold allows for the MAD's sampling error (`evidenceThresholdFor`).
 */
export function outlierNeurons(layer: Layer, settings: Settings, explained: Set<number>): Check | null {
  const result = normOutliers(layer, settings, explained, 1, evidenceThresholdFor);
  if (!result || result.outliers.length === 0) return null;
  const [strongest] = result.outliers as [Score];
  const rows = result.outlierRows;
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
    const rows = result.outlierRows;
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
 *
 * Every step works on typed arrays (this check runs on every layer, and Maps keyed by floats, a
 * counts Map per group and a fingerprint Map per group cost ~1 ms a 1024-row layer): rows are grouped
 * by their norm to 4 significant digits (a number, no strings) through an open-addressing table, the
 * groups numbered in the order their first row comes; only rows whose norms agree are compared on
 * their sampled coordinates.
 */
export function duplicateRows(layer: Layer): Check | null {
  const { summary, norms } = layer;
  if (!norms || summary.kept < 2 || summary.rowLength < 8 || layer.integer) return null;
  const kept = summary.kept;
  const work = duplicateScratch(kept);
  const { groupOf, groupKey, groupSize, groupStart, members, rounded, prints } = work;
  // Norm groups: the table holds group + 1 per slot (0 empty); keys compare as a Map's do (NaN = NaN).
  const bits = tableBits(kept);
  const table = work.table;
  table.fill(0, 0, 1 << bits);
  const mask = (1 << bits) - 1;
  let groups = 0;
  for (let row = 0; row < kept; row++) {
    const norm = norms[row]!;
    if (!(norm > 0) || !Number.isFinite(norm)) {
      groupOf[row] = -1;
      continue;
    }
    const key = roundSignificant(norm);
    let slot = numberHash(key) >>> (32 - bits);
    let group = -1;
    for (;;) {
      const entry = table[slot]!;
      if (entry === 0) {
        group = groups++;
        table[slot] = group + 1;
        groupKey[group] = key;
        groupSize[group] = 0;
        break;
      }
      const other = groupKey[entry - 1]!;
      if (other === key || (Number.isNaN(other) && Number.isNaN(key))) {
        group = entry - 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
    groupOf[row] = group;
    groupSize[group]!++;
  }
  // Each group's rows, ascending, at members[groupStart[group] ..]; groupStart doubles as the cursor.
  let total = 0;
  for (let group = 0; group < groups; group++) {
    groupStart[group] = total;
    total += groupSize[group]!;
  }
  for (let row = 0; row < kept; row++) {
    const group = groupOf[row]!;
    if (group >= 0) members[groupStart[group]!++] = row;
  }
  for (let group = 0; group < groups; group++) groupStart[group]! -= groupSize[group]!;
  // How likely two unrelated rows of equal norm agree on every sample: q^ROW_SAMPLES, q the chance
  // that two sampled coordinates of the group agree (pairs of equal rounded values over all pairs,
  // per norm group: rows of other norms have other values over their norm). Continuous weights have
  // q ≈ 0 (the signature ≈ 1e-24); a 0/1 mask q ≈ 0.5 (≈ 0.004 per pair of rows). Summed over the
  // groups in the order of their first rows, as the groups are numbered.
  const where = summary.maximumPositions();
  let chance = 0;
  let distinct = 0;
  let candidatePairs = 0;
  for (let group = 0; group < groups; group++) {
    const size = groupSize[group]!;
    if (size < 2) continue;
    candidatePairs += (size * (size - 1)) / 2;
    const agreement = sampleGroup(summary.samples, norms, where, members, groupStart[group]!, size, work);
    const sampled = size * ROW_SAMPLES;
    distinct = Math.max(distinct, agreement.values);
    chance += ((size * (size - 1)) / 2) * (agreement.agreeing / (sampled * (sampled - 1))) ** ROW_SAMPLES;
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
  // The figures a copy shares exactly: the largest |value| (to 4 significant digits, as the norm),
  // its position, and the counts of positive and zero values.
  const twins = (left: number, right: number) => {
    if (where[left] !== where[right] || summary.zeros[left] !== summary.zeros[right]) return false;
    if (summary.positives[left] !== summary.positives[right]) return false;
    if (roundSignificant(maxima[left]!) !== roundSignificant(maxima[right]!)) return false;
    for (let sample = 0; sample < ROW_SAMPLES; sample++)
      if (rounded[left * ROW_SAMPLES + sample] !== rounded[right * ROW_SAMPLES + sample]) return false;
    return true;
  };
  // Within a group, rows of one fingerprint form a bucket (a list in row order, chained through
  // `next`); a row is the twin of the first earlier row of its bucket it matches, else joins it.
  const pairs: [number, number][] = [];
  const { next, slotStamp, slotPrint, slotHead, slotTail } = work;
  for (let group = 0; group < groups; group++) {
    const size = groupSize[group]!;
    if (size < 2) continue;
    const stamp = nextStamp(work);
    const groupBits = tableBits(size);
    const groupMask = (1 << groupBits) - 1;
    const first = groupStart[group]!;
    for (let member = first; member < first + size; member++) {
      const row = members[member]!;
      const fingerprint = prints[row]!;
      let slot = Math.imul(fingerprint, 0x9e3779b1) >>> (32 - groupBits);
      while (slotStamp[slot] === stamp && slotPrint[slot] !== fingerprint) slot = (slot + 1) & groupMask;
      next[row] = -1;
      if (slotStamp[slot] !== stamp) {
        slotStamp[slot] = stamp;
        slotPrint[slot] = fingerprint;
        slotHead[slot] = row;
        slotTail[slot] = row;
        continue;
      }
      let twin = -1;
      for (let candidate = slotHead[slot]!; candidate >= 0; candidate = next[candidate]!) {
        if (twins(candidate, row)) {
          twin = candidate;
          break;
        }
      }
      if (twin >= 0) pairs.push([twin, row]);
      else {
        next[slotTail[slot]!] = row;
        slotTail[slot] = row;
      }
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

/** Rounded sample values run from -1e4 to 1e4 (a coordinate is at most its row's norm): counted in a table this wide. */
const VALUE_RANGE = 1 << 14;

/**
 * Typed scratch of `duplicateRows`, grown to the largest layer seen and reused: the check runs
 * synchronously, one layer at a time. Tables are cleared by stamps (a slot is live when its stamp is
 * the current one), not refilled per group.
 */
interface DuplicateScratch {
  rows: number;
  groupOf: Int32Array;
  groupKey: Float64Array;
  groupSize: Int32Array;
  groupStart: Int32Array;
  members: Int32Array;
  /** Row r's rounded samples at r · ROW_SAMPLES .., and their fingerprint (rows of groups of 2+ only). */
  rounded: Float64Array;
  prints: Int32Array;
  /** Norm groups by key (open addressing, 2+ slots a row). */
  table: Int32Array;
  /** Fingerprint buckets of one group: stamp, fingerprint, first and last row; rows chained by `next`. */
  slotStamp: Int32Array;
  slotPrint: Int32Array;
  slotHead: Int32Array;
  slotTail: Int32Array;
  next: Int32Array;
  /** Per rounded value + VALUE_RANGE: the stamp of the group that last counted it, and its count there. */
  valueStamp: Int32Array;
  valueCount: Int32Array;
  stamp: number;
  /** `sampleGroup`'s result, reused. */
  agreement: { agreeing: number; values: number };
}

/** Scratch for up to this many rows is kept between layers (~1.5 MB); larger layers get their own. */
const KEPT_SCRATCH_ROWS = 8192;
let duplicateWork: DuplicateScratch | null = null;

function duplicateScratch(rows: number): DuplicateScratch {
  if (duplicateWork !== null && duplicateWork.rows >= rows) return duplicateWork;
  const size = Math.max(rows, Math.min(KEPT_SCRATCH_ROWS, 2 * (duplicateWork?.rows ?? 0)));
  const work = newScratch(size);
  if (size <= KEPT_SCRATCH_ROWS) duplicateWork = work;
  return work;
}

function newScratch(rows: number): DuplicateScratch {
  const slots = 1 << tableBits(rows);
  return {
    rows,
    groupOf: new Int32Array(rows),
    groupKey: new Float64Array(rows),
    groupSize: new Int32Array(rows),
    groupStart: new Int32Array(rows),
    members: new Int32Array(rows),
    rounded: new Float64Array(rows * ROW_SAMPLES),
    prints: new Int32Array(rows),
    table: new Int32Array(slots),
    slotStamp: new Int32Array(slots),
    slotPrint: new Int32Array(slots),
    slotHead: new Int32Array(slots),
    slotTail: new Int32Array(slots),
    next: new Int32Array(rows),
    valueStamp: new Int32Array(2 * VALUE_RANGE + 1),
    valueCount: new Int32Array(2 * VALUE_RANGE + 1),
    stamp: 0,
    agreement: { agreeing: 0, values: 0 },
  };
}

/** A stamp no slot of the scratch's tables holds (they are cleared when the stamps wrap). */
function nextStamp(work: DuplicateScratch): number {
  if (work.stamp === 0x7fffffff) {
    work.stamp = 0;
    work.slotStamp.fill(0);
    work.valueStamp.fill(0);
  }
  return ++work.stamp;
}

/** Bits of an open-addressing table with at least two slots per entry (at least 2 bits). */
function tableBits(entries: number): number {
  return Math.max(2, 32 - Math.clz32(2 * entries - 1));
}

const hashNumber = new Float64Array(1);
const hashWords = new Int32Array(hashNumber.buffer);

/** A 32-bit hash of a number's bits; every NaN, and ±0, hash alike (a Map's keys are equal there). */
function numberHash(value: number): number {
  if (Number.isNaN(value) || value === 0) return 0;
  hashNumber[0] = value;
  return Math.imul(hashWords[0]! ^ Math.imul(hashWords[1]!, 0x85ebca6b), 0x9e3779b1);
}

/**
 * A norm group's rows (members[first ..], `size` of them): each row's sampled coordinates over its
 * norm, rounded to 4 decimals, as integers (into `rounded`, compared by a numeric fingerprint in
 * `prints` first and then coordinate by coordinate), and over all of them the pairs of equal values
 * (ordered, as Σ count · (count - 1)) and how many distinct values. Equal as a Map's keys: -0 = 0,
 * NaN = NaN.
 */
function sampleGroup(
  samples: Float64Array,
  norms: Float64Array,
  where: Float64Array,
  members: Int32Array,
  first: number,
  size: number,
  work: DuplicateScratch,
): { agreeing: number; values: number } {
  const { rounded, prints, valueStamp, valueCount } = work;
  const stamp = nextStamp(work);
  let agreeing = 0;
  let values = 0;
  let counted = true;
  for (let member = first; member < first + size; member++) {
    const row = members[member]!;
    const norm = norms[row]!;
    // Twins always share a fingerprint, and rows of one fingerprint are then compared in full, so
    // the pairs found do not depend on which function of those figures it is: this one stays in
    // 32-bit integers (no double folded by `| 0` each step).
    let fingerprint = where[row]! | 0;
    for (let at = row * ROW_SAMPLES; at < (row + 1) * ROW_SAMPLES; at++) {
      const value = roundHalfUp((samples[at]! / norm) * 1e4);
      rounded[at] = value;
      fingerprint = (Math.imul(fingerprint, 31) + (value | 0)) | 0;
      // Integers within the table only (NaN fails both tests); a group with others is counted by a Map.
      if (!(value >= -VALUE_RANGE && value <= VALUE_RANGE)) counted = false;
      if (!counted) continue;
      const index = value + VALUE_RANGE;
      if (valueStamp[index] !== stamp) {
        valueStamp[index] = stamp;
        valueCount[index] = 1;
        values++;
      } else {
        agreeing += 2 * valueCount[index]!;
        valueCount[index]!++;
      }
    }
    prints[row] = fingerprint;
  }
  const result = work.agreement;
  if (!counted) return agreementByMap(members, first, size, rounded, result);
  result.agreeing = agreeing;
  result.values = values;
  return result;
}

/** `sampleGroup`'s counts for values outside the table (infinite, NaN or far out: not from a RowSummary). */
function agreementByMap(
  members: Int32Array,
  first: number,
  size: number,
  rounded: Float64Array,
  result: { agreeing: number; values: number },
): { agreeing: number; values: number } {
  const counts = new Map<number, number>();
  for (let member = first; member < first + size; member++) {
    const row = members[member]!;
    for (let at = row * ROW_SAMPLES; at < (row + 1) * ROW_SAMPLES; at++)
      counts.set(rounded[at]!, (counts.get(rounded[at]!) ?? 0) + 1);
  }
  let agreeing = 0;
  for (const count of counts.values()) agreeing += count * (count - 1);
  result.agreeing = agreeing;
  result.values = counts.size;
  return result;
}

/**
 * 10 ** k for every k `roundSignificant` can ask for (3 - ⌊log10⌋ of a positive double: -305 to 327),
 * computed by the same operator: `10 **` costs more than the rest of the rounding.
 */
const POWER_OFFSET = 305;
const POWERS_OF_TEN = Float64Array.from({ length: 327 + POWER_OFFSET + 1 }, (_, index) => 10 ** (index - POWER_OFFSET));
/**
 * ⌊log10(v)⌋ is k for every v strictly between DECADE_LOW[k] and DECADE_HIGH[k] (10^k and 10^(k+1),
 * each moved 1e-9 inwards; k from -300 to 300): there log10 is at least 4e-10 from an integer, far
 * more than Math.log10's error (under an ulp, 6e-14 at 300), so its floor is k. Nearer a power of
 * ten, `roundSignificant` asks Math.log10.
 */
const DECADE_FROM = -300;
const DECADE_LOW = Float64Array.from({ length: 601 }, (_, index) => 10 ** (index + DECADE_FROM) * (1 + 1e-9));
const DECADE_HIGH = Float64Array.from({ length: 601 }, (_, index) => 10 ** (index + DECADE_FROM + 1) * (1 - 1e-9));
/** The decade the last `roundSignificant` value fell in (a layer's norms mostly share one). */
let lastDecade = -1;

/** A positive number rounded to 4 significant digits, as a number (what toPrecision(4) spells). */
function roundSignificant(value: number): number {
  let exponent: number;
  const decade = lastDecade - DECADE_FROM;
  if (value > DECADE_LOW[decade]! && value < DECADE_HIGH[decade]!) exponent = lastDecade;
  else {
    exponent = Math.floor(Math.log10(value));
    if (exponent >= DECADE_FROM && exponent <= -DECADE_FROM) lastDecade = exponent;
  }
  const power = 3 - exponent;
  const scale = power >= -POWER_OFFSET && power <= 327 ? POWERS_OF_TEN[power + POWER_OFFSET]! : 10 ** power;
  return roundHalfUp(value * scale) / scale;
}

/**
 * Math.round, but for the sign of a zero: (-0.5, 0) gives 0, not -0 (the rounded samples are compared
 * with === and as a Map's keys, and `roundSignificant` rounds positive numbers, so no caller tells
 * them apart). value - floor is exact, so ties go up as Math.round's do. Math.round's own tie test
 * is a branch, mispredicted half the time on random values: it cost a third of the duplicate check.
 */
function roundHalfUp(value: number): number {
  const floor = Math.floor(value);
  return floor + Number(value - floor >= 0.5);
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
  eachLeaveOneOutScore(logs, NORM_SPREAD_FLOOR, 1, (at, score, median) => {
    z[index[at]!] = score;
    ratio[index[at]!] = Math.exp(logs[at]! - median);
  });
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
