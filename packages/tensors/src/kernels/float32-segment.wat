;; The per-value loop of RowSummary.add over float32 values, four lanes at a time (WebAssembly
;; SIMD, in Node since 16.4). `summarize(p, n, out)` reads n float32 values at byte address p (n a
;; multiple of 4; unaligned addresses are fine) and stores per-lane partial results at out + 0..143,
;; which float32-kernel.ts reduces:
;;    0 sum (f64x2, lanes 0-1)      16 sum (f64x2, lanes 2-3)
;;   32 squares (f64x2, lanes 0-1)  48 squares (f64x2, lanes 2-3)
;;   64 min (f32x4)    80 max (f32x4)    96 largest |value| (f32x4, -1 when the lane saw none)
;;  112 zeros (i32x4)   128 positives (i32x4)
;; Where the largest |value| first occurs is found afterwards by `firstAt(p, n, magnitude)`, the first
;; index whose |value| equals it (n when none does): tracking it per lane in the loop cost a third of
;; the loop's time, and the search stops at the first occurrence, on values still in the cache.
;; The comparisons are JavaScript's: a NaN is never a minimum, maximum or largest |value| (pmin/pmax
;; and a strict `>` keep the old value), -0 counts as zero, sums carry NaN and infinities through.
;; Values are summed in float64, as the JavaScript loop does. The memory is the thread's shared
;; KernelMemory: the values are read where the chunk holding them was read (or where float32-kernel.ts
;; copied them), and the results, the copy area and the histogram slots are in the kernel's reserved area.
;; `histogram(p, n, counts)` counts the same values' float32 patterns into 65536 i32 counters at
;; `counts` by their top 16 bits: MedianSketch's buckets, from the values already loaded.
;; `rows(p, length, count, lanes, out)` summarizes `count` whole rows of `length` values from p, each
;; as float32-kernel.ts's `summarize` does (its four lanes merged in lane order, then the last
;; length % 4 values by the loop of segment-summary.ts), into 40 bytes a row at out + 40r:
;;    0 sum (f64)   8 squares (f64)   16 min (f32)   20 max (f32)   24 largest |value| (f32, -1 when
;;   none)   28 its index in the row (i32)   32 zeros (i32)   36 positives (i32)
;; `lanes` is 144 bytes of scratch for `summarize`'s per-lane results. One call for many short rows:
;; a call from JavaScript per row cost more than the row's values.
(module
  (import "env" "memory" (memory 1 16384 shared))
  (func $summarize (export "summarize") (param $p i32) (param $n i32) (param $out i32)
    (local $end i32) (local $v v128) (local $lo v128) (local $hi v128)
    (local $sumLo v128) (local $sumHi v128) (local $squaresLo v128)
    (local $squaresHi v128) (local $min v128) (local $max v128) (local $best v128)
    (local $zeros v128) (local $positives v128)
    (local.set $min (v128.const f32x4 inf inf inf inf))
    (local.set $max (v128.const f32x4 -inf -inf -inf -inf))
    (local.set $best (v128.const f32x4 -1 -1 -1 -1))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (v128.load align=4 (local.get $p)))
        (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
        (local.set $hi (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (local.set $sumLo (f64x2.add (local.get $sumLo) (local.get $lo)))
        (local.set $sumHi (f64x2.add (local.get $sumHi) (local.get $hi)))
        (local.set $squaresLo (f64x2.add (local.get $squaresLo) (f64x2.mul (local.get $lo) (local.get $lo))))
        (local.set $squaresHi (f64x2.add (local.get $squaresHi) (f64x2.mul (local.get $hi) (local.get $hi))))
        (local.set $min (f32x4.pmin (local.get $min) (local.get $v)))
        (local.set $max (f32x4.pmax (local.get $max) (local.get $v)))
        ;; A true comparison is all ones (-1): subtracting it counts one.
        (local.set $zeros (i32x4.sub (local.get $zeros) (f32x4.eq (local.get $v) (v128.const f32x4 0 0 0 0))))
        (local.set $positives
          (i32x4.sub (local.get $positives) (f32x4.gt (local.get $v) (v128.const f32x4 0 0 0 0))))
        ;; pmax keeps the old value unless it is less: a NaN |value| never counts.
        (local.set $best (f32x4.pmax (local.get $best) (f32x4.abs (local.get $v))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))
    (v128.store (local.get $out) (local.get $sumLo))
    (v128.store offset=16 (local.get $out) (local.get $sumHi))
    (v128.store offset=32 (local.get $out) (local.get $squaresLo))
    (v128.store offset=48 (local.get $out) (local.get $squaresHi))
    (v128.store offset=64 (local.get $out) (local.get $min))
    (v128.store offset=80 (local.get $out) (local.get $max))
    (v128.store offset=96 (local.get $out) (local.get $best))
    (v128.store offset=112 (local.get $out) (local.get $zeros))
    (v128.store offset=128 (local.get $out) (local.get $positives)))
  (func $firstAt (export "firstAt") (param $p i32) (param $n i32) (param $magnitude f32) (result i32)
    (local $at i32) (local $whole i32) (local $target v128) (local $hits i32)
    (local.set $target (f32x4.splat (local.get $magnitude)))
    (local.set $whole (i32.and (local.get $n) (i32.const -4)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $whole)))
        ;; One bit a lane whose |value| equals the magnitude; the lowest set bit is the first of them.
        (local.set $hits (i32x4.bitmask (f32x4.eq (local.get $target)
          (f32x4.abs (v128.load align=4 (i32.add (local.get $p) (i32.shl (local.get $at) (i32.const 2))))))))
        (if (local.get $hits) (then (return (i32.add (local.get $at) (i32.ctz (local.get $hits))))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $next)))
    (block $none
      (loop $one
        (br_if $none (i32.ge_u (local.get $at) (local.get $n)))
        (if (f32.eq (f32.abs (f32.load (i32.add (local.get $p) (i32.shl (local.get $at) (i32.const 2)))))
              (local.get $magnitude))
          (then (return (local.get $at))))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $one)))
    (local.get $n))
  (func (export "rows") (param $p i32) (param $length i32) (param $count i32) (param $lanes i32) (param $out i32)
    (local $whole i32) (local $row i32) (local $lane i32) (local $at i32) (local $end i32)
    (local $sum f64) (local $squares f64) (local $min f32) (local $max f32) (local $largest f32)
    (local $largestAt i32) (local $zeros i32) (local $positives i32) (local $value f32) (local $magnitude f32)
    (local $first f64) (local $second f64) (local $sumA f64) (local $sumB f64)
    (local $squaresA f64) (local $squaresB f64) (local $tailMin f32) (local $tailMax f32)
    (local $tailLargest f32) (local $tailAt i32)
    (local.set $whole (i32.and (local.get $length) (i32.const -4)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $row) (local.get $count)))
        (local.set $sum (f64.const 0))
        (local.set $squares (f64.const 0))
        (local.set $min (f32.const inf))
        (local.set $max (f32.const -inf))
        (local.set $largest (f32.const -1))
        (local.set $largestAt (i32.const 0))
        (local.set $zeros (i32.const 0))
        (local.set $positives (i32.const 0))
        (if (i32.gt_u (local.get $whole) (i32.const 0))
          (then
            (call $summarize (local.get $p) (local.get $whole) (local.get $lanes))
            ;; Lanes 0 and 2, then 1 and 3: the order float32-kernel.ts adds them in.
            (local.set $sum (f64.add
              (f64.add (f64.load (local.get $lanes)) (f64.load offset=16 (local.get $lanes)))
              (f64.add (f64.load offset=8 (local.get $lanes)) (f64.load offset=24 (local.get $lanes)))))
            (local.set $squares (f64.add
              (f64.add (f64.load offset=32 (local.get $lanes)) (f64.load offset=48 (local.get $lanes)))
              (f64.add (f64.load offset=40 (local.get $lanes)) (f64.load offset=56 (local.get $lanes)))))
            (local.set $lane (i32.const 0))
            (loop $merge
              (local.set $at (i32.add (local.get $lanes) (i32.shl (local.get $lane) (i32.const 2))))
              (local.set $value (f32.load offset=64 (local.get $at)))
              (if (f32.lt (local.get $value) (local.get $min)) (then (local.set $min (local.get $value))))
              (local.set $value (f32.load offset=80 (local.get $at)))
              (if (f32.gt (local.get $value) (local.get $max)) (then (local.set $max (local.get $value))))
              (local.set $magnitude (f32.load offset=96 (local.get $at)))
              (if (f32.gt (local.get $magnitude) (local.get $largest)) (then (local.set $largest (local.get $magnitude))))
              (local.set $zeros (i32.add (local.get $zeros) (i32.load offset=112 (local.get $at))))
              (local.set $positives (i32.add (local.get $positives) (i32.load offset=128 (local.get $at))))
              (local.set $lane (i32.add (local.get $lane) (i32.const 1)))
              (br_if $merge (i32.lt_u (local.get $lane) (i32.const 4))))
            ;; The first place of the largest, whichever lane saw it (none when every value is NaN).
            (if (f32.ge (local.get $largest) (f32.const 0))
              (then (local.set $largestAt (call $firstAt (local.get $p) (local.get $whole) (local.get $largest)))))))
        (if (i32.lt_u (local.get $whole) (local.get $length))
          (then
            ;; The last length % 4 values, two chains of sums as segment-summary.ts keeps them.
            (local.set $sumA (f64.const 0))
            (local.set $sumB (f64.const 0))
            (local.set $squaresA (f64.const 0))
            (local.set $squaresB (f64.const 0))
            (local.set $tailMin (f32.const inf))
            (local.set $tailMax (f32.const -inf))
            (local.set $tailLargest (f32.const -1))
            (local.set $tailAt (i32.const 0))
            (local.set $at (local.get $whole))
            (loop $tail
              (local.set $value (f32.load (i32.add (local.get $p) (i32.shl (local.get $at) (i32.const 2)))))
              (local.set $first (f64.promote_f32 (local.get $value)))
              ;; Values at even places from `whole` go to chain A, odd ones to chain B.
              (if (i32.and (i32.sub (local.get $at) (local.get $whole)) (i32.const 1))
                (then
                  (local.set $sumB (f64.add (local.get $sumB) (local.get $first)))
                  (local.set $squaresB (f64.add (local.get $squaresB) (f64.mul (local.get $first) (local.get $first)))))
                (else
                  (local.set $sumA (f64.add (local.get $sumA) (local.get $first)))
                  (local.set $squaresA (f64.add (local.get $squaresA) (f64.mul (local.get $first) (local.get $first))))))
              (local.set $positives (i32.add (local.get $positives) (f32.gt (local.get $value) (f32.const 0))))
              (local.set $zeros (i32.add (local.get $zeros) (f32.eq (local.get $value) (f32.const 0))))
              (if (f32.lt (local.get $value) (local.get $tailMin)) (then (local.set $tailMin (local.get $value))))
              (if (f32.gt (local.get $value) (local.get $tailMax)) (then (local.set $tailMax (local.get $value))))
              (local.set $magnitude (f32.abs (local.get $value)))
              (if (f32.gt (local.get $magnitude) (local.get $tailLargest))
                (then
                  (local.set $tailLargest (local.get $magnitude))
                  (local.set $tailAt (local.get $at))))
              (local.set $at (i32.add (local.get $at) (i32.const 1)))
              (br_if $tail (i32.lt_u (local.get $at) (local.get $length))))
            (local.set $sum (f64.add (local.get $sum) (f64.add (local.get $sumA) (local.get $sumB))))
            (local.set $squares (f64.add (local.get $squares) (f64.add (local.get $squaresA) (local.get $squaresB))))
            (if (f32.lt (local.get $tailMin) (local.get $min)) (then (local.set $min (local.get $tailMin))))
            (if (f32.gt (local.get $tailMax) (local.get $max)) (then (local.set $max (local.get $tailMax))))
            (if (f32.gt (local.get $tailLargest) (local.get $largest))
              (then
                (local.set $largest (local.get $tailLargest))
                (local.set $largestAt (local.get $tailAt))))))
        (f64.store (local.get $out) (local.get $sum))
        (f64.store offset=8 (local.get $out) (local.get $squares))
        (f32.store offset=16 (local.get $out) (local.get $min))
        (f32.store offset=20 (local.get $out) (local.get $max))
        (f32.store offset=24 (local.get $out) (local.get $largest))
        (i32.store offset=28 (local.get $out) (local.get $largestAt))
        (i32.store offset=32 (local.get $out) (local.get $zeros))
        (i32.store offset=36 (local.get $out) (local.get $positives))
        (local.set $p (i32.add (local.get $p) (i32.shl (local.get $length) (i32.const 2))))
        (local.set $out (i32.add (local.get $out) (i32.const 40)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $next))))
  ;; Four keys are read before any counter is touched, so an increment never waits on the next
  ;; key's load (a counter repeated among the four is still counted in order); then the last n % 4.
  ;; A key's counter is at counts + (bits >>> 16) * 4, written out in place: V8 does not inline calls.
  (func (export "histogram") (param $p i32) (param $n i32) (param $counts i32)
    (local $end i32) (local $a i32) (local $b i32) (local $c i32) (local $d i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $a (i32.add (local.get $counts) (i32.shl (i32.shr_u (i32.load align=1 (local.get $p)) (i32.const 16)) (i32.const 2))))
        (local.set $b (i32.add (local.get $counts) (i32.shl (i32.shr_u (i32.load offset=4 align=1 (local.get $p)) (i32.const 16)) (i32.const 2))))
        (local.set $c (i32.add (local.get $counts) (i32.shl (i32.shr_u (i32.load offset=8 align=1 (local.get $p)) (i32.const 16)) (i32.const 2))))
        (local.set $d (i32.add (local.get $counts) (i32.shl (i32.shr_u (i32.load offset=12 align=1 (local.get $p)) (i32.const 16)) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (i32.store (local.get $b) (i32.add (i32.load (local.get $b)) (i32.const 1)))
        (i32.store (local.get $c) (i32.add (i32.load (local.get $c)) (i32.const 1)))
        (i32.store (local.get $d) (i32.add (i32.load (local.get $d)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tail
      (loop $one
        (br_if $tail (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $a (i32.add (local.get $counts) (i32.shl (i32.shr_u (i32.load align=1 (local.get $p)) (i32.const 16)) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $one)))))
