;; The largest |values| of a row (WebAssembly SIMD), for TopMagnitudes (top-magnitudes.ts):
;; `keep(p, n, top, count)` reads n float32 values at byte address p and adds them to the row's
;; kept values at `top` (16 float64 slots, largest magnitude first, `count` of them filled), as
;; the JavaScript loop there does: a value enters when its magnitude is above the smallest kept
;; (any value while fewer than 16 are kept), after the kept ones of equal magnitude; NaN and
;; infinities never enter. Returns the new count. Four values a step are compared with a
;; threshold at once, and only a group holding a value at or above it is read one by one. The
;; threshold is the larger of the smallest kept (once 16 are) and, for 64 values or more, the least
;; of the maxima of 16 runs of them: 16 values at least as large exist in the same call, so a value
;; below it cannot end among the 16 kept (the kept are the first 16 in a stable sort by magnitude,
;; whatever values were looked at before them), and in random order most of the values that would
;; have entered early on and been pushed out are never read one by one. A run's maximum is over
;; the values that are not NaN; a run holding an infinity gives no threshold (infinities never
;; enter).
;; The memory is the thread's shared KernelMemory: values are read where the chunk holding them
;; was read (or where top-magnitudes.ts copied them).
(module
  (import "env" "memory" (memory 1 16384 shared))
  (func (export "keep") (param $p i32) (param $n i32) (param $top i32) (param $count i32) (result i32)
    (local $end i32) (local $quads i32) (local $stop i32) (local $floor f32) (local $floors v128)
    (local $value f32) (local $magnitude f32) (local $slot i32) (local $at i32) (local $address i32)
    (local $bound f32)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $quads (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (local.set $floor (f32.const -1))
    (if (i32.eq (local.get $count) (i32.const 16))
      (then (local.set $floor (f32.demote_f64 (f64.abs (f64.load offset=120 (local.get $top)))))))
    (local.set $bound (call $blockBound (local.get $p) (local.get $n)))
    (local.set $floors (f32x4.splat (call $threshold (local.get $floor) (local.get $bound))))
    (local.set $at (local.get $p))
    (block $done
      (loop $next
        ;; Whole groups of four none of which enters are passed over.
        (block $candidate
          (loop $skip
            (br_if $candidate (i32.ge_u (local.get $at) (local.get $quads)))
            (br_if $candidate (v128.any_true
              (f32x4.ge (f32x4.abs (v128.load align=4 (local.get $at))) (local.get $floors))))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (br $skip)))
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        ;; One by one: the group holding a candidate, or the last n % 4 values.
        (local.set $stop (i32.add (local.get $at) (i32.const 16)))
        (if (i32.gt_u (local.get $stop) (local.get $end)) (then (local.set $stop (local.get $end))))
        (loop $one
          (local.set $value (f32.load (local.get $at)))
          (local.set $magnitude (f32.abs (local.get $value)))
          (if (i32.and
                (f32.gt (local.get $magnitude) (local.get $floor))
                (f32.ne (local.get $magnitude) (f32.const inf)))
            (then
              (local.set $slot (i32.const 15))
              (if (i32.lt_u (local.get $count) (i32.const 16))
                (then
                  (local.set $slot (local.get $count))
                  (local.set $count (i32.add (local.get $count) (i32.const 1)))))
              ;; Strictly smaller kept values move down: an equal one stays before it.
              (local.set $address (i32.add (local.get $top) (i32.shl (local.get $slot) (i32.const 3))))
              (block $placed
                (loop $down
                  (br_if $placed (i32.eq (local.get $address) (local.get $top)))
                  (br_if $placed (i32.eqz (f64.lt
                    (f64.abs (f64.load (i32.sub (local.get $address) (i32.const 8))))
                    (f64.promote_f32 (local.get $magnitude)))))
                  (f64.store (local.get $address) (f64.load (i32.sub (local.get $address) (i32.const 8))))
                  (local.set $address (i32.sub (local.get $address) (i32.const 8)))
                  (br $down)))
              (f64.store (local.get $address) (f64.promote_f32 (local.get $value)))
              (if (i32.eq (local.get $count) (i32.const 16))
                (then
                  (local.set $floor (f32.demote_f64 (f64.abs (f64.load offset=120 (local.get $top)))))
                  (local.set $floors (f32x4.splat (call $threshold (local.get $floor) (local.get $bound))))))))
          (local.set $at (i32.add (local.get $at) (i32.const 4)))
          (br_if $one (i32.lt_u (local.get $at) (local.get $stop))))
        (br $next)))
    (local.get $count))
;; The least magnitude a value needs to be read one by one: above the smallest kept (the float
;; just above it; -1 while fewer than 16 are kept), and at least `bound`.
  (func $threshold (param $floor f32) (param $bound f32) (result f32)
    (local $above f32)
    (local.set $above (local.get $floor))
    (if (f32.ge (local.get $floor) (f32.const 0))
      (then (local.set $above (f32.reinterpret_i32 (i32.add (i32.reinterpret_f32 (local.get $floor)) (i32.const 1))))))
    (if (result f32) (f32.gt (local.get $bound) (local.get $above))
      (then (local.get $bound))
      (else (local.get $above))))
;; The least of the maxima of |value| over 16 runs of the values at p, each of 4 * floor(n / 64) values
;; (the values past the 16 runs left out): 16 values at least as large, one a run. NaN is left
;; out of a maximum; -1 when n is under 64 or a run's maximum is infinite (its finite values are
;; not known).
  (func $blockBound (param $p i32) (param $n i32) (result f32)
    (local $run i32) (local $runs i32) (local $stop i32) (local $m v128) (local $best f32) (local $lane f32)
    (local $bound f32)
    ;; Bytes a run: n / 64 groups of four values.
    (local.set $run (i32.shl (i32.shr_u (local.get $n) (i32.const 6)) (i32.const 4)))
    (if (i32.eqz (local.get $run)) (then (return (f32.const -1))))
    (local.set $bound (f32.const inf))
    (loop $nextRun
      (local.set $stop (i32.add (local.get $p) (local.get $run)))
      ;; pmax keeps the accumulator against a NaN (a comparison with NaN is false).
      (local.set $m (f32x4.splat (f32.const -1)))
      (loop $group
        (local.set $m (f32x4.pmax (local.get $m) (f32x4.abs (v128.load align=4 (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br_if $group (i32.lt_u (local.get $p) (local.get $stop))))
      (local.set $best (f32x4.extract_lane 0 (local.get $m)))
      (local.set $lane (f32x4.extract_lane 1 (local.get $m)))
      (if (f32.gt (local.get $lane) (local.get $best)) (then (local.set $best (local.get $lane))))
      (local.set $lane (f32x4.extract_lane 2 (local.get $m)))
      (if (f32.gt (local.get $lane) (local.get $best)) (then (local.set $best (local.get $lane))))
      (local.set $lane (f32x4.extract_lane 3 (local.get $m)))
      (if (f32.gt (local.get $lane) (local.get $best)) (then (local.set $best (local.get $lane))))
      (if (f32.eq (local.get $best) (f32.const inf)) (then (return (f32.const -1))))
      (if (f32.lt (local.get $best) (local.get $bound)) (then (local.set $bound (local.get $best))))
      (local.set $runs (i32.add (local.get $runs) (i32.const 1)))
      (br_if $nextRun (i32.lt_u (local.get $runs) (i32.const 16))))
    (local.get $bound)))
