;; A window of q8_0 blocks ({ half d; i8 qs[32] }, 34 bytes; each value exactly d·q) summarised in
;; one call, with WebAssembly SIMD: what ScaledBlocks and RowSummary.addBlocks compute in JavaScript
;; where SIMD is missing (q8-0-kernel.ts reads the results). `window(p, count, rowBlocks, first)`
;; reads `count` blocks (at most 1024) from byte address p; rows hold `rowBlocks` blocks and the
;; first row part has `first` blocks left. It returns the number of row parts ("segments") written,
;; or -1, with nothing to read, when a block's scale is NaN or ±Inf. Results:
;;   0 Σ values (f64)   8 Σ values² (f64)   16 least value (f64)   24 greatest value (f64)
;;   32 values equal to zero (i32)   40 least scale d (f64)   48 greatest scale d (f64)
;; and per segment s: at SEG_SQUARES + 8s Σ values² (f64), SEG_LARGEST + 8s the largest |value| (f64,
;; 0 when all are zero), SEG_POSITIVES + 4s and SEG_ZEROS + 4s the counts of values > 0 and = 0,
;; SEG_BEST + 4s the first block (in the window) reaching that largest |value| (-1 when it is 0) and
;; SEG_BEST_Q + 4s that block's largest |q|. Sums run in block order in float64, as the JavaScript
;; does, so the results are the same to the bit. d comes from the binary16 table at HALVES (65536
;; float32 values, written once by q8-0-kernel.ts). Blocks are read at p: in place in a chunk, or
;; copied to DATA_START (256); any alignment. Addresses of results and tables are from $base.
;; `histogram(p, count, counts)` counts the same values into a median sketch's 65536 bucket counters
;; at `counts` (one of four slots at HISTOGRAMS + 262144k, HISTOGRAMS 524288), without storing them.
;; `columns(p, count, columns, column)` adds the squares of the same values, in float64, to the
;; float64 column sums at SUMS (1572864, 65536 columns) + 8 column, 32 consecutive columns a block,
;; wrapping to column 0 after `columns` (a multiple of 32, as `column` is), and returns the column
;; after the last block: ColumnSquares' sums of dequantize's values, to the bit, without storing them.
;; The per-block steps are written out in place rather than as helper functions: V8 does not inline
;; WebAssembly calls, and a call per four values cost more than the work.
(module
  ;; The thread's shared KernelMemory: blocks are read where their chunk was read (or where
  ;; q8-0-kernel.ts copied them); every address named below is from the kernel's area at $base.
  (import "env" "memory" (memory 1 16384 shared))
  (global $base (mut i32) (i32.const 0))
  (func (export "setBase") (param $address i32) (global.set $base (local.get $address)))
  ;; Output addresses: SEG_SQUARES 36864, SEG_LARGEST 45056, SEG_POSITIVES 53248, SEG_ZEROS 57344,
  ;; SEG_BEST 61440, SEG_BEST_Q 65536, HALVES 131072, VALUES 393216 (`dequantize`).
  ;; The least signed byte of a vector.
  (func $least (param $v v128) (result i32)
    (local.set $v (i8x16.min_s (local.get $v)
      (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
    (local.set $v (i8x16.min_s (local.get $v)
      (i8x16.shuffle 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 (local.get $v) (local.get $v))))
    (local.set $v (i8x16.min_s (local.get $v)
      (i8x16.shuffle 2 3 0 1 2 3 0 1 2 3 0 1 2 3 0 1 (local.get $v) (local.get $v))))
    (local.set $v (i8x16.min_s (local.get $v)
      (i8x16.shuffle 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 (local.get $v) (local.get $v))))
    (i8x16.extract_lane_s 0 (local.get $v)))
  ;; The greatest signed byte of a vector.
  (func $greatest (param $v v128) (result i32)
    (local.set $v (i8x16.max_s (local.get $v)
      (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
    (local.set $v (i8x16.max_s (local.get $v)
      (i8x16.shuffle 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 (local.get $v) (local.get $v))))
    (local.set $v (i8x16.max_s (local.get $v)
      (i8x16.shuffle 2 3 0 1 2 3 0 1 2 3 0 1 2 3 0 1 (local.get $v) (local.get $v))))
    (local.set $v (i8x16.max_s (local.get $v)
      (i8x16.shuffle 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 (local.get $v) (local.get $v))))
    (i8x16.extract_lane_s 0 (local.get $v)))
  (func (export "window") (param $p i32) (param $count i32) (param $rowBlocks i32) (param $first i32) (result i32)
    (local $b i32) (local $segment i32) (local $left i32) (local $low v128) (local $high v128)
    (local $sums v128) (local $squareSums v128) (local $zeroCounts v128) (local $positiveCounts v128)
    (local $pair v128) (local $counts v128) (local $d f64) (local $sumQ i32) (local $squaresQ i32) (local $zeroQ i32)
    (local $positiveQ i32) (local $leastQ i32) (local $greatestQ i32) (local $largestQ i32)
    (local $zeros i32) (local $positives i32) (local $valueSquares f64) (local $blockMin f64)
    (local $blockMax f64) (local $magnitude f64) (local $sum f64) (local $squares f64) (local $min f64)
    (local $max f64) (local $windowZeros i32) (local $segmentSquares f64) (local $segmentPositives i32)
    (local $segmentZeros i32) (local $best f64) (local $bestBlock i32) (local $bestQ i32)
    (local $reach f64) (local $lower f64) (local $upper f64) (local $scanned i32)
    (local $leastScale f64) (local $greatestScale f64)
    (local.set $min (f64.const inf))
    (local.set $leastScale (f64.const inf))
    (local.set $greatestScale (f64.const -inf))
    (local.set $max (f64.const -inf))
    (local.set $bestBlock (i32.const -1))
    (local.set $left (local.get $first))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $b) (local.get $count)))
        (local.set $d (f64.promote_f32 (f32.load offset=131072
          (i32.add (global.get $base) (i32.shl (i32.load16_u (local.get $p)) (i32.const 2))))))
        ;; d - d is 0 for finite d, NaN for NaN and ±Inf: the caller takes the float path.
        (if (f64.ne (f64.sub (local.get $d) (local.get $d)) (f64.const 0)) (then (return (i32.const -1))))
        ;; The scales' range, for the quantization detector's check of every block's d.
        (if (f64.lt (local.get $d) (local.get $leastScale)) (then (local.set $leastScale (local.get $d))))
        (if (f64.gt (local.get $d) (local.get $greatestScale)) (then (local.set $greatestScale (local.get $d))))
        (local.set $low (v128.load offset=2 align=1 (local.get $p)))
        (local.set $high (v128.load offset=18 align=1 (local.get $p)))
        ;; Four partial vectors, reduced together below: Σq (bytes to i16 pairs, |sums| ≤ 512, to i32),
        ;; Σq² (products as i16, at most 128² = 16384, so two of them fit an unsigned i16, to i32), and
        ;; minus the counts of q = 0 and of q > 0 (a true comparison is -1 in each byte).
        (local.set $sums (i32x4.extadd_pairwise_i16x8_s (i16x8.add
          (i16x8.extadd_pairwise_i8x16_s (local.get $low)) (i16x8.extadd_pairwise_i8x16_s (local.get $high)))))
        (local.set $squareSums (i32x4.add
          (i32x4.extadd_pairwise_i16x8_u (i16x8.add
            (i16x8.extmul_low_i8x16_s (local.get $low) (local.get $low))
            (i16x8.extmul_high_i8x16_s (local.get $low) (local.get $low))))
          (i32x4.extadd_pairwise_i16x8_u (i16x8.add
            (i16x8.extmul_low_i8x16_s (local.get $high) (local.get $high))
            (i16x8.extmul_high_i8x16_s (local.get $high) (local.get $high))))))
        (local.set $zeroCounts (i32x4.extadd_pairwise_i16x8_s (i16x8.extadd_pairwise_i8x16_s (i8x16.add
          (i8x16.eq (local.get $low) (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0))
          (i8x16.eq (local.get $high) (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0))))))
        (local.set $positiveCounts (i32x4.extadd_pairwise_i16x8_s (i16x8.extadd_pairwise_i8x16_s (i8x16.add
          (i8x16.gt_s (local.get $low) (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0))
          (i8x16.gt_s (local.get $high) (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0))))))
        ;; The four vectors' lane sums at once: [Σq, Σq², -zeros, -positives].
        (local.set $pair (i32x4.add
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $sums) (local.get $squareSums))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $sums) (local.get $squareSums))))
        (local.set $counts (i32x4.add
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $zeroCounts) (local.get $positiveCounts))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $zeroCounts) (local.get $positiveCounts))))
        (local.set $pair (i32x4.add
          (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $pair) (local.get $counts))
          (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $pair) (local.get $counts))))
        (local.set $sumQ (i32x4.extract_lane 0 (local.get $pair)))
        (local.set $squaresQ (i32x4.extract_lane 1 (local.get $pair)))
        (local.set $zeroQ (i32.sub (i32.const 0) (i32x4.extract_lane 2 (local.get $pair))))
        (local.set $positiveQ (i32.sub (i32.const 0) (i32x4.extract_lane 3 (local.get $pair))))
        ;; Bounds on the block's values: |q| ≤ 127 unless a quant is -128 (ggml's quantizer writes
        ;; -127 .. 127), so they lie in [lower, upper] and |value| ≤ reach·|d|. The exact extremes
        ;; are read (two reductions) only where a bound passes the window's extremes or the row
        ;; part's largest |value|: rare after a row part's first blocks.
        (local.set $reach (f64.convert_i32_s (i32.add (i32.const 127) (i32.ne (i32.const 0) (i8x16.bitmask (i8x16.eq
          (i8x16.min_s (local.get $low) (local.get $high))
          (v128.const i8x16 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128)))))))
        (if (f64.lt (local.get $d) (f64.const 0))
          (then
            (local.set $lower (f64.mul (f64.const 127) (local.get $d)))
            (local.set $upper (f64.mul (f64.neg (local.get $reach)) (local.get $d))))
          (else
            (local.set $lower (f64.mul (f64.neg (local.get $reach)) (local.get $d)))
            (local.set $upper (f64.mul (f64.const 127) (local.get $d)))))
        (local.set $scanned (i32.const 0))
        (if (i32.or (i32.or (f64.lt (local.get $lower) (local.get $min)) (f64.gt (local.get $upper) (local.get $max)))
              (f64.gt (f64.mul (local.get $reach) (f64.abs (local.get $d))) (local.get $best)))
          (then
            (local.set $scanned (i32.const 1))
            (local.set $leastQ (call $least (i8x16.min_s (local.get $low) (local.get $high))))
            (local.set $greatestQ (call $greatest (i8x16.max_s (local.get $low) (local.get $high))))
            (local.set $largestQ (select (local.get $greatestQ) (i32.sub (i32.const 0) (local.get $leastQ))
              (i32.gt_s (local.get $greatestQ) (i32.sub (i32.const 0) (local.get $leastQ)))))))
        ;; Values: zeros and signs follow from d's sign (d = ±0 makes every value zero).
        (if (f64.gt (local.get $d) (f64.const 0))
          (then
            (local.set $zeros (local.get $zeroQ))
            (local.set $positives (local.get $positiveQ)))
          (else
            (if (f64.lt (local.get $d) (f64.const 0))
              (then
                (local.set $zeros (local.get $zeroQ))
                (local.set $positives (i32.sub (i32.sub (i32.const 32) (local.get $positiveQ)) (local.get $zeroQ))))
              (else
                (local.set $zeros (i32.const 32))
                (local.set $positives (i32.const 0))))))
        (local.set $valueSquares (f64.mul (f64.mul (local.get $d) (local.get $d)) (f64.convert_i32_s (local.get $squaresQ))))
        (local.set $sum (f64.add (local.get $sum) (f64.mul (local.get $d) (f64.convert_i32_s (local.get $sumQ)))))
        (local.set $squares (f64.add (local.get $squares) (local.get $valueSquares)))
        (local.set $windowZeros (i32.add (local.get $windowZeros) (local.get $zeros)))
        ;; The segment: strictly larger, so the first block reaching its largest |value| is kept.
        (local.set $segmentSquares (f64.add (local.get $segmentSquares) (local.get $valueSquares)))
        (local.set $segmentPositives (i32.add (local.get $segmentPositives) (local.get $positives)))
        (local.set $segmentZeros (i32.add (local.get $segmentZeros) (local.get $zeros)))
        (if (local.get $scanned)
          (then
            (if (f64.gt (local.get $d) (f64.const 0))
              (then
                (local.set $blockMin (f64.mul (f64.convert_i32_s (local.get $leastQ)) (local.get $d)))
                (local.set $blockMax (f64.mul (f64.convert_i32_s (local.get $greatestQ)) (local.get $d))))
              (else
                (if (f64.lt (local.get $d) (f64.const 0))
                  (then
                    (local.set $blockMin (f64.mul (f64.convert_i32_s (local.get $greatestQ)) (local.get $d)))
                    (local.set $blockMax (f64.mul (f64.convert_i32_s (local.get $leastQ)) (local.get $d))))
                  (else
                    ;; Every value compares equal: the first stands for the block, as in ScaledBlocks.
                    (local.set $blockMin
                      (f64.mul (f64.convert_i32_s (i32.load8_s offset=2 (local.get $p))) (local.get $d)))
                    (local.set $blockMax (local.get $blockMin))))))
            (if (f64.lt (local.get $blockMin) (local.get $min)) (then (local.set $min (local.get $blockMin))))
            (if (f64.gt (local.get $blockMax) (local.get $max)) (then (local.set $max (local.get $blockMax))))
            (local.set $magnitude (f64.mul (f64.abs (local.get $d)) (f64.convert_i32_s (local.get $largestQ))))
            (if (f64.gt (local.get $magnitude) (local.get $best))
              (then
                (local.set $best (local.get $magnitude))
                (local.set $bestBlock (local.get $b))
                (local.set $bestQ (local.get $largestQ))))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 34)))
        (local.set $left (i32.sub (local.get $left) (i32.const 1)))
        ;; A row ends here, or the window does: the segment's figures are written.
        (if (i32.or (i32.eqz (local.get $left)) (i32.ge_u (local.get $b) (local.get $count)))
          (then
            (f64.store offset=36864 (i32.add (global.get $base) (i32.shl (local.get $segment) (i32.const 3))) (local.get $segmentSquares))
            (f64.store offset=45056 (i32.add (global.get $base) (i32.shl (local.get $segment) (i32.const 3))) (local.get $best))
            (i32.store offset=53248 (i32.add (global.get $base) (i32.shl (local.get $segment) (i32.const 2))) (local.get $segmentPositives))
            (i32.store offset=57344 (i32.add (global.get $base) (i32.shl (local.get $segment) (i32.const 2))) (local.get $segmentZeros))
            (i32.store offset=61440 (i32.add (global.get $base) (i32.shl (local.get $segment) (i32.const 2))) (local.get $bestBlock))
            (i32.store offset=65536 (i32.add (global.get $base) (i32.shl (local.get $segment) (i32.const 2))) (local.get $bestQ))
            (local.set $segment (i32.add (local.get $segment) (i32.const 1)))
            (local.set $segmentSquares (f64.const 0))
            (local.set $segmentPositives (i32.const 0))
            (local.set $segmentZeros (i32.const 0))
            (local.set $best (f64.const 0))
            (local.set $bestBlock (i32.const -1))
            (local.set $bestQ (i32.const 0))
            (local.set $left (local.get $rowBlocks))))
        (br $next)))
    (f64.store (global.get $base) (local.get $sum))
    (f64.store offset=8 (global.get $base) (local.get $squares))
    (f64.store offset=16 (global.get $base) (local.get $min))
    (f64.store offset=24 (global.get $base) (local.get $max))
    (i32.store offset=32 (global.get $base) (local.get $windowZeros))
    (f64.store offset=40 (global.get $base) (local.get $leastScale))
    (f64.store offset=48 (global.get $base) (local.get $greatestScale))
    (local.get $segment))
  ;; The float32 values d·q of the `count` blocks at p (as window reads them) into VALUES, 32 a block:
  ;; what ggml's dequantize_row_q8_0 stores (the products are exact in float32). For the windows the
  ;; median sketch reads.
  (func (export "dequantize") (param $p i32) (param $count i32)
    (local $b i32) (local $out i32) (local $d v128) (local $q v128) (local $half v128)
    (local.set $out (global.get $base))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $b) (local.get $count)))
        (local.set $d (f32x4.splat (f32.load offset=131072 (i32.add (global.get $base) (i32.shl (i32.load16_u (local.get $p)) (i32.const 2))))))
        (local.set $q (v128.load offset=2 align=1 (local.get $p)))
        (local.set $half (i16x8.extend_low_i8x16_s (local.get $q)))
        (v128.store offset=393216 (local.get $out) (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $half))) (local.get $d)))
        (v128.store offset=393232 (local.get $out) (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $half))) (local.get $d)))
        (local.set $half (i16x8.extend_high_i8x16_s (local.get $q)))
        (v128.store offset=393248 (local.get $out) (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $half))) (local.get $d)))
        (v128.store offset=393264 (local.get $out) (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $half))) (local.get $d)))
        (local.set $q (v128.load offset=18 align=1 (local.get $p)))
        (local.set $half (i16x8.extend_low_i8x16_s (local.get $q)))
        (v128.store offset=393280 (local.get $out) (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $half))) (local.get $d)))
        (v128.store offset=393296 (local.get $out) (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $half))) (local.get $d)))
        (local.set $half (i16x8.extend_high_i8x16_s (local.get $q)))
        (v128.store offset=393312 (local.get $out) (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $half))) (local.get $d)))
        (v128.store offset=393328 (local.get $out) (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $half))) (local.get $d)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 34)))
        (local.set $out (i32.add (local.get $out) (i32.const 128)))
        (br $next))))
  ;; The float32 values d·q of the `count` blocks at p (as window reads them) counted into the 65536
  ;; 32-bit counters at `counts` by the top 16 bits of each value's pattern: MedianSketch's histogram
  ;; of dequantize's values (the same values, so the same buckets), without a pass over stored values.
  (func (export "histogram") (param $p i32) (param $count i32) (param $counts i32)
    (local $b i32) (local $d v128) (local $q v128) (local $half v128) (local $base v128) (local $a i32)
    (local $at0 v128) (local $at1 v128) (local $at2 v128) (local $at3 v128)
    (local.set $base (i32x4.splat (local.get $counts)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $b) (local.get $count)))
        (local.set $d (f32x4.splat (f32.load offset=131072 (i32.add (global.get $base) (i32.shl (i32.load16_u (local.get $p)) (i32.const 2))))))
        (local.set $q (v128.load offset=2 align=1 (local.get $p)))
        (local.set $half (i16x8.extend_low_i8x16_s (local.get $q)))
        (local.set $at0 (i32x4.add (local.get $base) (i32x4.shl (i32x4.shr_u (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $half))) (local.get $d)) (i32.const 16)) (i32.const 2))))
        (local.set $at1 (i32x4.add (local.get $base) (i32x4.shl (i32x4.shr_u (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $half))) (local.get $d)) (i32.const 16)) (i32.const 2))))
        (local.set $half (i16x8.extend_high_i8x16_s (local.get $q)))
        (local.set $at2 (i32x4.add (local.get $base) (i32x4.shl (i32x4.shr_u (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $half))) (local.get $d)) (i32.const 16)) (i32.const 2))))
        (local.set $at3 (i32x4.add (local.get $base) (i32x4.shl (i32x4.shr_u (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $half))) (local.get $d)) (i32.const 16)) (i32.const 2))))
        (local.set $a (i32x4.extract_lane 0 (local.get $at0)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 1 (local.get $at0)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 2 (local.get $at0)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 3 (local.get $at0)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 0 (local.get $at1)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 1 (local.get $at1)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 2 (local.get $at1)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 3 (local.get $at1)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 0 (local.get $at2)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 1 (local.get $at2)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 2 (local.get $at2)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 3 (local.get $at2)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 0 (local.get $at3)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 1 (local.get $at3)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 2 (local.get $at3)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 3 (local.get $at3)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $q (v128.load offset=18 align=1 (local.get $p)))
        (local.set $half (i16x8.extend_low_i8x16_s (local.get $q)))
        (local.set $at0 (i32x4.add (local.get $base) (i32x4.shl (i32x4.shr_u (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $half))) (local.get $d)) (i32.const 16)) (i32.const 2))))
        (local.set $at1 (i32x4.add (local.get $base) (i32x4.shl (i32x4.shr_u (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $half))) (local.get $d)) (i32.const 16)) (i32.const 2))))
        (local.set $half (i16x8.extend_high_i8x16_s (local.get $q)))
        (local.set $at2 (i32x4.add (local.get $base) (i32x4.shl (i32x4.shr_u (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $half))) (local.get $d)) (i32.const 16)) (i32.const 2))))
        (local.set $at3 (i32x4.add (local.get $base) (i32x4.shl (i32x4.shr_u (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $half))) (local.get $d)) (i32.const 16)) (i32.const 2))))
        (local.set $a (i32x4.extract_lane 0 (local.get $at0)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 1 (local.get $at0)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 2 (local.get $at0)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 3 (local.get $at0)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 0 (local.get $at1)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 1 (local.get $at1)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 2 (local.get $at1)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 3 (local.get $at1)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 0 (local.get $at2)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 1 (local.get $at2)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 2 (local.get $at2)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 3 (local.get $at2)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 0 (local.get $at3)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 1 (local.get $at3)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 2 (local.get $at3)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 3 (local.get $at3)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 34)))
        (br $next))))
  (func (export "columns") (param $p i32) (param $count i32) (param $columns i32) (param $column i32) (result i32)
    (local $b i32) (local $d v128) (local $sum i32) (local $q v128) (local $half v128) (local $v v128)
    (local $lo v128) (local $hi v128)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $b) (local.get $count)))
        (local.set $d (f32x4.splat (f32.load offset=131072 (i32.add (global.get $base) (i32.shl (i32.load16_u (local.get $p)) (i32.const 2))))))
        (local.set $sum (i32.add (i32.add (global.get $base) (i32.const 1572864)) (i32.shl (local.get $column) (i32.const 3))))
        (local.set $q (v128.load offset=2 align=1 (local.get $p)))
        (local.set $half (i16x8.extend_low_i8x16_s (local.get $q)))
        (local.set $v (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $half))) (local.get $d)))
        (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
        (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (v128.store offset=0 align=8 (local.get $sum) (f64x2.add (v128.load offset=0 align=8 (local.get $sum)) (f64x2.mul (local.get $lo) (local.get $lo))))
        (v128.store offset=16 align=8 (local.get $sum) (f64x2.add (v128.load offset=16 align=8 (local.get $sum)) (f64x2.mul (local.get $hi) (local.get $hi))))
        (local.set $v (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $half))) (local.get $d)))
        (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
        (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (v128.store offset=32 align=8 (local.get $sum) (f64x2.add (v128.load offset=32 align=8 (local.get $sum)) (f64x2.mul (local.get $lo) (local.get $lo))))
        (v128.store offset=48 align=8 (local.get $sum) (f64x2.add (v128.load offset=48 align=8 (local.get $sum)) (f64x2.mul (local.get $hi) (local.get $hi))))
        (local.set $half (i16x8.extend_high_i8x16_s (local.get $q)))
        (local.set $v (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $half))) (local.get $d)))
        (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
        (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (v128.store offset=64 align=8 (local.get $sum) (f64x2.add (v128.load offset=64 align=8 (local.get $sum)) (f64x2.mul (local.get $lo) (local.get $lo))))
        (v128.store offset=80 align=8 (local.get $sum) (f64x2.add (v128.load offset=80 align=8 (local.get $sum)) (f64x2.mul (local.get $hi) (local.get $hi))))
        (local.set $v (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $half))) (local.get $d)))
        (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
        (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (v128.store offset=96 align=8 (local.get $sum) (f64x2.add (v128.load offset=96 align=8 (local.get $sum)) (f64x2.mul (local.get $lo) (local.get $lo))))
        (v128.store offset=112 align=8 (local.get $sum) (f64x2.add (v128.load offset=112 align=8 (local.get $sum)) (f64x2.mul (local.get $hi) (local.get $hi))))
        (local.set $q (v128.load offset=18 align=1 (local.get $p)))
        (local.set $half (i16x8.extend_low_i8x16_s (local.get $q)))
        (local.set $v (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $half))) (local.get $d)))
        (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
        (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (v128.store offset=128 align=8 (local.get $sum) (f64x2.add (v128.load offset=128 align=8 (local.get $sum)) (f64x2.mul (local.get $lo) (local.get $lo))))
        (v128.store offset=144 align=8 (local.get $sum) (f64x2.add (v128.load offset=144 align=8 (local.get $sum)) (f64x2.mul (local.get $hi) (local.get $hi))))
        (local.set $v (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $half))) (local.get $d)))
        (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
        (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (v128.store offset=160 align=8 (local.get $sum) (f64x2.add (v128.load offset=160 align=8 (local.get $sum)) (f64x2.mul (local.get $lo) (local.get $lo))))
        (v128.store offset=176 align=8 (local.get $sum) (f64x2.add (v128.load offset=176 align=8 (local.get $sum)) (f64x2.mul (local.get $hi) (local.get $hi))))
        (local.set $half (i16x8.extend_high_i8x16_s (local.get $q)))
        (local.set $v (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $half))) (local.get $d)))
        (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
        (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (v128.store offset=192 align=8 (local.get $sum) (f64x2.add (v128.load offset=192 align=8 (local.get $sum)) (f64x2.mul (local.get $lo) (local.get $lo))))
        (v128.store offset=208 align=8 (local.get $sum) (f64x2.add (v128.load offset=208 align=8 (local.get $sum)) (f64x2.mul (local.get $hi) (local.get $hi))))
        (local.set $v (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $half))) (local.get $d)))
        (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
        (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (v128.store offset=224 align=8 (local.get $sum) (f64x2.add (v128.load offset=224 align=8 (local.get $sum)) (f64x2.mul (local.get $lo) (local.get $lo))))
        (v128.store offset=240 align=8 (local.get $sum) (f64x2.add (v128.load offset=240 align=8 (local.get $sum)) (f64x2.mul (local.get $hi) (local.get $hi))))
        (local.set $column (i32.add (local.get $column) (i32.const 32)))
        (if (i32.ge_u (local.get $column) (local.get $columns)) (then (local.set $column (i32.const 0))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 34)))
        (br $next)))
    (local.get $column)))
