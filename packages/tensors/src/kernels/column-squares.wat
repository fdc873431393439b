;; The squared norms of a matrix's columns (WebAssembly SIMD), for ColumnSquares (column-squares.ts):
;; `add(p, count, columns, column, sums)` reads `count` float32 values at byte address p, the first
;; of which is in column `column` of a row of `columns` values (rows follow one another, so the
;; column wraps to 0 after columns - 1), adds each value's square, in float64, to its column's
;; float64 sum at sums + 8 column, and returns the column after the last value. Four values a step,
;; each sum gaining one square at a time as the JavaScript loop `sums[column] += value * value` does
;; (the same bits). The memory is the thread's shared KernelMemory: the values are read where the
;; chunk holding them was read (or where column-squares.ts copied them); the sums are in the
;; kernel's reserved area.
(module
  (import "env" "memory" (memory 1 16384 shared))
  (func (export "add") (param $p i32) (param $count i32) (param $columns i32) (param $column i32) (param $sums i32)
    (result i32)
    (local $at i32) (local $end i32) (local $stop i32) (local $sum i32)
    (local $v v128) (local $lo v128) (local $hi v128) (local $x f64)
    (local.set $at (local.get $p))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $nextRow
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        ;; This row's part: up to the row's end or the values' end, whichever comes first.
        (local.set $stop
          (i32.add (local.get $at) (i32.shl (i32.sub (local.get $columns) (local.get $column)) (i32.const 2))))
        (if (i32.gt_u (local.get $stop) (local.get $end)) (then (local.set $stop (local.get $end))))
        (local.set $sum (i32.add (local.get $sums) (i32.shl (local.get $column) (i32.const 3))))
        (local.set $column
          (i32.add (local.get $column) (i32.shr_u (i32.sub (local.get $stop) (local.get $at)) (i32.const 2))))
        (block $quadsDone
          (loop $nextQuad
            (br_if $quadsDone (i32.gt_u (i32.add (local.get $at) (i32.const 16)) (local.get $stop)))
            (local.set $v (v128.load align=4 (local.get $at)))
            (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
            (local.set $hi (f64x2.promote_low_f32x4
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
            (v128.store align=8 (local.get $sum)
              (f64x2.add (v128.load align=8 (local.get $sum)) (f64x2.mul (local.get $lo) (local.get $lo))))
            (v128.store offset=16 align=8 (local.get $sum)
              (f64x2.add (v128.load offset=16 align=8 (local.get $sum)) (f64x2.mul (local.get $hi) (local.get $hi))))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (local.set $sum (i32.add (local.get $sum) (i32.const 32)))
            (br $nextQuad)))
        (block $tailDone
          (loop $nextValue
            (br_if $tailDone (i32.ge_u (local.get $at) (local.get $stop)))
            (local.set $x (f64.promote_f32 (f32.load (local.get $at))))
            (f64.store (local.get $sum) (f64.add (f64.load (local.get $sum)) (f64.mul (local.get $x) (local.get $x))))
            (local.set $at (i32.add (local.get $at) (i32.const 4)))
            (local.set $sum (i32.add (local.get $sum) (i32.const 8)))
            (br $nextValue)))
        (if (i32.eq (local.get $column) (local.get $columns)) (then (local.set $column (i32.const 0))))
        (br $nextRow)))
    (local.get $column)))
