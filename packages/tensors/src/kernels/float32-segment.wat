;; The per-value loop of RowSummary.add over float32 values, four lanes at a time (WebAssembly
;; SIMD, in Node since 16.4). `summarize(p, n, out)` reads n float32 values at byte address p (n a
;; multiple of 4; unaligned addresses are fine) and stores per-lane partial results at out + 0..159,
;; which float32-kernel.ts reduces:
;;    0 sum (f64x2, lanes 0-1)      16 sum (f64x2, lanes 2-3)
;;   32 squares (f64x2, lanes 0-1)  48 squares (f64x2, lanes 2-3)
;;   64 min (f32x4)    80 max (f32x4)    96 largest |value| (f32x4, -1 when the lane saw none)
;;  112 its index (i32x4, first in the lane)   128 zeros (i32x4)   144 positives (i32x4)
;; The comparisons are JavaScript's: a NaN is never a minimum, maximum or largest |value| (pmin/pmax
;; and a strict `>` keep the old value), -0 counts as zero, sums carry NaN and infinities through.
;; Values are summed in float64, as the JavaScript loop does. The memory is the thread's shared
;; KernelMemory: the values are read where the chunk holding them was read (or where float32-kernel.ts
;; copied them), and the results, the copy area and the histogram slots are in the kernel's reserved area.
;; `histogram(p, n, counts)` counts the same values' float32 patterns into 65536 i32 counters at
;; `counts` by their top 16 bits: MedianSketch's buckets, from the values already loaded.
(module
  (import "env" "memory" (memory 1 16384 shared))
  (func (export "summarize") (param $p i32) (param $n i32) (param $out i32)
    (local $end i32) (local $v v128) (local $lo v128) (local $hi v128) (local $magnitude v128)
    (local $larger v128) (local $sumLo v128) (local $sumHi v128) (local $squaresLo v128)
    (local $squaresHi v128) (local $min v128) (local $max v128) (local $best v128)
    (local $bestAt v128) (local $at v128) (local $zeros v128) (local $positives v128)
    (local.set $min (v128.const f32x4 inf inf inf inf))
    (local.set $max (v128.const f32x4 -inf -inf -inf -inf))
    (local.set $best (v128.const f32x4 -1 -1 -1 -1))
    (local.set $at (v128.const i32x4 0 1 2 3))
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
        (local.set $magnitude (f32x4.abs (local.get $v)))
        (local.set $larger (f32x4.gt (local.get $magnitude) (local.get $best)))
        (local.set $best (v128.bitselect (local.get $magnitude) (local.get $best) (local.get $larger)))
        (local.set $bestAt (v128.bitselect (local.get $at) (local.get $bestAt) (local.get $larger)))
        (local.set $at (i32x4.add (local.get $at) (v128.const i32x4 4 4 4 4)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))
    (v128.store (local.get $out) (local.get $sumLo))
    (v128.store offset=16 (local.get $out) (local.get $sumHi))
    (v128.store offset=32 (local.get $out) (local.get $squaresLo))
    (v128.store offset=48 (local.get $out) (local.get $squaresHi))
    (v128.store offset=64 (local.get $out) (local.get $min))
    (v128.store offset=80 (local.get $out) (local.get $max))
    (v128.store offset=96 (local.get $out) (local.get $best))
    (v128.store offset=112 (local.get $out) (local.get $bestAt))
    (v128.store offset=128 (local.get $out) (local.get $zeros))
    (v128.store offset=144 (local.get $out) (local.get $positives)))
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
