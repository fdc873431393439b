;; The LSBs and the order of consecutive 32-bit words (WebAssembly SIMD), for lsb-order.ts:
;;   lsbOrder(count)  over the words at DATA (16), the word before them at 12: stores at 0 how many
;;                    are above the word before them and at 4 how many below (i32s), and packs
;;                    their LSBs at BITS (131152) a byte per 8 words, the first word's in bit 0
;; Eight words a step: it reads up to 7 words past `count` (the caller repeats the last one there,
;; adding no order) and writes the LSBs of the whole last byte.
(module
  (memory (export "memory") 3)
  (func (export "lsbOrder") (param $count i32)
    (local $p i32) (local $end i32) (local $a v128) (local $b v128) (local $before v128)
    (local $rising v128) (local $falling v128) (local $out i32)
    (local.set $p (i32.const 16))
    (local.set $end (i32.add (i32.const 16) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $out (i32.const 131152))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $a (v128.load (local.get $p)))
        (local.set $b (v128.load offset=16 (local.get $p)))
        ;; A true comparison is all ones (-1): subtracting it counts one.
        (local.set $before (v128.load offset=0 (i32.sub (local.get $p) (i32.const 4))))
        (local.set $rising (i32x4.sub (local.get $rising) (i32x4.gt_u (local.get $a) (local.get $before))))
        (local.set $falling (i32x4.sub (local.get $falling) (i32x4.lt_u (local.get $a) (local.get $before))))
        (local.set $before (v128.load offset=12 (local.get $p)))
        (local.set $rising (i32x4.sub (local.get $rising) (i32x4.gt_u (local.get $b) (local.get $before))))
        (local.set $falling (i32x4.sub (local.get $falling) (i32x4.lt_u (local.get $b) (local.get $before))))
        (i32.store8 (local.get $out)
          (i32.or
            (i32x4.bitmask (i32x4.shl (local.get $a) (i32.const 31)))
            (i32.shl (i32x4.bitmask (i32x4.shl (local.get $b) (i32.const 31))) (i32.const 4))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (local.set $out (i32.add (local.get $out) (i32.const 1)))
        (br $next)))
    (i32.store (i32.const 0)
      (i32.add
        (i32.add (i32x4.extract_lane 0 (local.get $rising)) (i32x4.extract_lane 1 (local.get $rising)))
        (i32.add (i32x4.extract_lane 2 (local.get $rising)) (i32x4.extract_lane 3 (local.get $rising)))))
    (i32.store (i32.const 4)
      (i32.add
        (i32.add (i32x4.extract_lane 0 (local.get $falling)) (i32x4.extract_lane 1 (local.get $falling)))
        (i32.add (i32x4.extract_lane 2 (local.get $falling)) (i32x4.extract_lane 3 (local.get $falling)))))))
