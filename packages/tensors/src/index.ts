export { disagreements, disagreementsByLag } from "./bit-lags.js";
export { BufferPool } from "./buffer-pool.js";
export { ColumnSquares, MAX_SQUARED_COLUMNS } from "./column-squares.js";
export { FloatDecoder, type FloatWindow, floatDecoder, isDecodable } from "./decode.js";
export {
  CANONICAL_NAN_BITS,
  decodeFloat8,
  type Float8Format,
  float8Table,
  float16Table,
  float16ToNumber,
} from "./float-tables.js";
export {
  type LowBitDepth,
  type LowBitOrder,
  type LowBitPlane,
  type LowBitPlaneOptions,
  LowBitPlanes,
  lowBitPlanesFor,
  type PlaneBytes,
  printableBits,
} from "./low-bit-planes.js";
export { lowWordBytes } from "./low-bits.js";
export { lsbOrder } from "./lsb-order.js";
export { DEFAULT_EXACT_VALUES, MedianSketch, type RobustCenter } from "./median-sketch.js";
export { DEFAULT_MAX_ROWS, ROW_SAMPLES, RowSummary } from "./row-summary.js";
export {
  STATISTICS_KEY,
  type StatisticsOptions,
  type StatisticsSummary,
  statisticsOf,
  statisticsOptionsFor,
  TensorStatistics,
} from "./statistics.js";
export { TOP_MAGNITUDES, TopMagnitudes } from "./top-magnitudes.js";
export { countFloat32Low16, countWords16, releaseCounters, takeCounters } from "./word-histogram.js";
