;; The integer sums of q8_0 blocks ({ half d; i8 qs[32] }, 34 bytes) that ScaledBlocks reads, with
;; WebAssembly SIMD: `sum(p, count)` reads `count` blocks from byte address p (at most MAX_BLOCKS,
;; 1024) and writes, per block b, little-endian i32s at
;;   SUMS + 4b       Σq
;;   SQUARES + 4b    Σq²
;;   ZEROS + 4b      how many q are 0
;;   POSITIVES + 4b  how many q are > 0
;;   MINUS128 + 4b   1 when a q is -128 (ggml's quantizer writes -127 .. 127), else 0
;; with SUMS = 36864, SQUARES = 40960, ZEROS = 45056, POSITIVES = 49152, MINUS128 = 53248.
;; Blocks go at DATA_START (256) onwards; unaligned addresses are fine.
(module
  (memory (export "memory") 1)
  (func $lanes (param $v v128) (result i32)
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))
  (func (export "sum") (param $p i32) (param $count i32)
    (local $b i32) (local $at i32) (local $low v128) (local $high v128) (local $wide v128)
    (local.set $b (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $b) (local.get $count)))
        (local.set $low (v128.load offset=2 align=1 (local.get $p)))
        (local.set $high (v128.load offset=18 align=1 (local.get $p)))
        (local.set $at (i32.shl (local.get $b) (i32.const 2)))
        ;; Σq: bytes to i16 pairs to i32 quads (|partial sums| ≤ 512).
        (i32.store offset=36864 (local.get $at)
          (call $lanes (i32x4.add
            (i32x4.extadd_pairwise_i16x8_s (i16x8.extadd_pairwise_i8x16_s (local.get $low)))
            (i32x4.extadd_pairwise_i16x8_s (i16x8.extadd_pairwise_i8x16_s (local.get $high))))))
        ;; Σq²: each half widened to i16, multiplied and added in pairs.
        (local.set $wide (i16x8.extend_low_i8x16_s (local.get $low)))
        (local.set $wide (i32x4.add
          (i32x4.dot_i16x8_s (local.get $wide) (local.get $wide))
          (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $low)) (i16x8.extend_high_i8x16_s (local.get $low)))))
        (local.set $wide (i32x4.add (local.get $wide)
          (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $high)) (i16x8.extend_low_i8x16_s (local.get $high)))))
        (local.set $wide (i32x4.add (local.get $wide)
          (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $high)) (i16x8.extend_high_i8x16_s (local.get $high)))))
        (i32.store offset=40960 (local.get $at) (call $lanes (local.get $wide)))
        ;; Counts: one bit per matching byte, counted.
        (i32.store offset=45056 (local.get $at) (i32.add
          (i32.popcnt (i8x16.bitmask (i8x16.eq (local.get $low) (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0))))
          (i32.popcnt (i8x16.bitmask (i8x16.eq (local.get $high) (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0))))))
        (i32.store offset=49152 (local.get $at) (i32.add
          (i32.popcnt (i8x16.bitmask (i8x16.gt_s (local.get $low) (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0))))
          (i32.popcnt (i8x16.bitmask (i8x16.gt_s (local.get $high) (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0))))))
        (i32.store offset=53248 (local.get $at) (i32.ne (i32.const 0) (i32.or
          (i8x16.bitmask (i8x16.eq (local.get $low)
            (v128.const i8x16 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128)))
          (i8x16.bitmask (i8x16.eq (local.get $high)
            (v128.const i8x16 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128))))))
        (local.set $p (i32.add (local.get $p) (i32.const 34)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $next)))))
