;; A bit stream's disagreement with itself shifted by each lag (WebAssembly SIMD), for
;; BitLags (bit-lags.ts): `disagreements(lags, pairs)` reads the stream's 32-bit words at BITS (0,
;; bit i of the stream is bit i % 32 of word i / 32) and writes, for lag = 1 .. lags, at
;; OUT (16384) + 4 (lag - 1) the i32
;;   Σ over words w < pairs of popcount(word w XOR the 32 bits from bit 32 w + lag)
;; four words a step (`pairs` a multiple of 4). It reads words up to pairs + lag / 32 + 1.
(module
  (memory (export "memory") 1)
  (func (export "disagreements") (param $lags i32) (param $pairs i32)
    (local $lag i32) (local $rest i32) (local $left i32) (local $keep v128) (local $at i32)
    (local $shifted i32) (local $end i32) (local $sum v128) (local $x v128)
    (local.set $end (i32.shl (local.get $pairs) (i32.const 2)))
    (local.set $lag (i32.const 1))
    (block $lagsDone
      (loop $nextLag
        (br_if $lagsDone (i32.gt_u (local.get $lag) (local.get $lags)))
        ;; The shift splits into whole words (an address offset) and a rest of 0..31 bits; a
        ;; rest of 0 takes the next word not at all (a shift by 32 would be one by 0).
        (local.set $rest (i32.and (local.get $lag) (i32.const 31)))
        (local.set $left (i32.sub (i32.const 32) (local.get $rest)))
        (local.set $keep (i32x4.splat (i32.sub (i32.const 0) (i32.ne (local.get $rest) (i32.const 0)))))
        (local.set $shifted (i32.shl (i32.shr_u (local.get $lag) (i32.const 5)) (i32.const 2)))
        (local.set $sum (v128.const i32x4 0 0 0 0))
        (local.set $at (i32.const 0))
        (block $wordsDone
          (loop $nextWords
            (br_if $wordsDone (i32.ge_u (local.get $at) (local.get $end)))
            (local.set $x
              (v128.xor
                (v128.load (local.get $at))
                (v128.or
                  (i32x4.shr_u (v128.load (i32.add (local.get $at) (local.get $shifted))) (local.get $rest))
                  (v128.and
                    (i32x4.shl
                      (v128.load offset=4 (i32.add (local.get $at) (local.get $shifted)))
                      (local.get $left))
                    (local.get $keep)))))
            (local.set $sum
              (i32x4.add (local.get $sum)
                (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (i8x16.popcnt (local.get $x))))))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (br $nextWords)))
        (i32.store offset=16380 (i32.shl (local.get $lag) (i32.const 2))
          (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $sum)) (i32x4.extract_lane 1 (local.get $sum)))
            (i32.add (i32x4.extract_lane 2 (local.get $sum)) (i32x4.extract_lane 3 (local.get $sum)))))
        (local.set $lag (i32.add (local.get $lag) (i32.const 1)))
        (br $nextLag)))))
