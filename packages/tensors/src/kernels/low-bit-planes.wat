;; The low-bit planes of LowBitPlanes (see plane-packer.ts for the layout), with WebAssembly SIMD:
;;   gather4(src, count, dst)  the low byte of each of `count` little-endian 32-bit words at src,
;;   gather2(src, count, dst)  or 16-bit words, to consecutive bytes at dst
;;   pack(lows, count, out)    the 1, 2 and 4-bit planes of `count` low bytes at `lows`, each order
;;   textMap(src, count, dst)  a bit per byte of `count` bytes at src, set for printable ASCII
;;                             (0x20..0x7e), byte i's in bit i % 32 of the 32-bit word i / 32 at dst
;; Both work 16 elements at a time: they read and write up to that many past
;; `count`, into slack the caller leaves, and each output byte depends on its own elements only, so
;; the bytes of whole elements are right whatever follows them. `pack` writes, from `out`:
;;   out + 0      1 bit, msb-first     (count / 8 bytes)
;;   out + P1     1 bit, lsb-first
;;   out + 2 P1   2 bits, msb-first    (count / 4 bytes)
;;   out + 4 P1   2 bits, lsb-first
;;   out + 6 P1   4 bits, msb-first    (count / 2 bytes)
;;   out + 10 P1  4 bits, lsb-first
;; with P1 = 8448 (a 65536-element block's 1-bit plane and its slack). Unaligned addresses are fine.
(module
  ;; The thread's shared KernelMemory: words are read in place in a chunk, or where plane-packer.ts copied them.
  (import "env" "memory" (memory 1 16384 shared))
  (func (export "gather4") (param $src i32) (param $count i32) (param $dst i32)
    (local $end i32) (local $mask v128)
    (local.set $mask (v128.const i32x4 0xff 0xff 0xff 0xff))
    (local.set $end (i32.add (local.get $dst) (local.get $count)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        ;; Each word's low byte, masked, narrows (unsigned, never saturating) to 16 then 8 bits.
        (v128.store (local.get $dst)
          (i8x16.narrow_i16x8_u
            (i16x8.narrow_i32x4_u
              (v128.and (v128.load (local.get $src)) (local.get $mask))
              (v128.and (v128.load offset=16 (local.get $src)) (local.get $mask)))
            (i16x8.narrow_i32x4_u
              (v128.and (v128.load offset=32 (local.get $src)) (local.get $mask))
              (v128.and (v128.load offset=48 (local.get $src)) (local.get $mask)))))
        (local.set $src (i32.add (local.get $src) (i32.const 64)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $next))))
  (func (export "gather2") (param $src i32) (param $count i32) (param $dst i32)
    (local $end i32) (local $mask v128)
    (local.set $mask (v128.const i16x8 0xff 0xff 0xff 0xff 0xff 0xff 0xff 0xff))
    (local.set $end (i32.add (local.get $dst) (local.get $count)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (v128.store (local.get $dst)
          (i8x16.narrow_i16x8_u
            (v128.and (v128.load (local.get $src)) (local.get $mask))
            (v128.and (v128.load offset=16 (local.get $src)) (local.get $mask))))
        (local.set $src (i32.add (local.get $src) (i32.const 32)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $next))))
;; The 1-bit planes: bit 0 of each byte to its sign bit, then one bit per lane (lane 0 lowest:
  ;; lsb-first; lanes reversed within each 8 first: msb-first), 2 bytes for 16 elements. The 2-bit
  ;; planes: the four low pairs of a 32-bit lane (elements e0..e3, a byte each) shifted into one
  ;; byte, e0 highest (msb-first) or lowest, 4 bytes. The 4-bit planes: the low nibbles of a 16-bit
  ;; lane's two elements into one byte, 8 bytes. Wider lanes narrow to bytes (unsigned, never
  ;; saturating: every lane is masked to a byte; the second operand's half is not stored). Written
  ;; out in one loop: V8 does not inline calls between kernel functions.
  (func (export "pack") (param $lows i32) (param $count i32) (param $out i32)
    (local $end i32) (local $v v128) (local $w v128) (local $one i32) (local $two i32) (local $four i32)
    (local $pairs v128) (local $nibbles v128) (local $byte v128) (local $byte16 v128)
    (local.set $pairs (v128.const i32x4 0x03030303 0x03030303 0x03030303 0x03030303))
    (local.set $nibbles (v128.const i16x8 0x0f0f 0x0f0f 0x0f0f 0x0f0f 0x0f0f 0x0f0f 0x0f0f 0x0f0f))
    (local.set $byte (v128.const i32x4 0xff 0xff 0xff 0xff))
    (local.set $byte16 (v128.const i16x8 0xff 0xff 0xff 0xff 0xff 0xff 0xff 0xff))
    (local.set $end (i32.add (local.get $lows) (local.get $count)))
    (local.set $one (local.get $out))
    (local.set $two (i32.add (local.get $out) (i32.const 16896)))
    (local.set $four (i32.add (local.get $out) (i32.const 50688)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $lows) (local.get $end)))
        (local.set $v (v128.load (local.get $lows)))
        (local.set $w (i8x16.shl (local.get $v) (i32.const 7)))
        (i32.store16 offset=8448 (local.get $one) (i8x16.bitmask (local.get $w)))
        (i32.store16 (local.get $one)
          (i8x16.bitmask (i8x16.shuffle 7 6 5 4 3 2 1 0 15 14 13 12 11 10 9 8 (local.get $w) (local.get $w))))
        (local.set $w (v128.and (local.get $v) (local.get $pairs)))
        (i32.store (local.get $two)
          (i32x4.extract_lane 0
            (i8x16.narrow_i16x8_u
              (i16x8.narrow_i32x4_u
                (v128.and
                  (v128.or
                    (v128.or (i32x4.shl (local.get $w) (i32.const 6)) (i32x4.shr_u (local.get $w) (i32.const 4)))
                    (v128.or (i32x4.shr_u (local.get $w) (i32.const 14)) (i32x4.shr_u (local.get $w) (i32.const 24))))
                  (local.get $byte))
                (local.get $w))
              (local.get $w))))
        (i32.store offset=16896 (local.get $two)
          (i32x4.extract_lane 0
            (i8x16.narrow_i16x8_u
              (i16x8.narrow_i32x4_u
                (v128.and
                  (v128.or
                    (v128.or (local.get $w) (i32x4.shr_u (local.get $w) (i32.const 6)))
                    (v128.or (i32x4.shr_u (local.get $w) (i32.const 12)) (i32x4.shr_u (local.get $w) (i32.const 18))))
                  (local.get $byte))
                (local.get $w))
              (local.get $w))))
        (local.set $w (v128.and (local.get $v) (local.get $nibbles)))
        (i64.store (local.get $four)
          (i64x2.extract_lane 0
            (i8x16.narrow_i16x8_u
              (v128.and
                (v128.or (i16x8.shl (local.get $w) (i32.const 4)) (i16x8.shr_u (local.get $w) (i32.const 8)))
                (local.get $byte16))
              (local.get $w))))
        (i64.store offset=33792 (local.get $four)
          (i64x2.extract_lane 0
            (i8x16.narrow_i16x8_u
              (v128.and (v128.or (local.get $w) (i16x8.shr_u (local.get $w) (i32.const 4))) (local.get $byte16))
              (local.get $w))))
        (local.set $lows (i32.add (local.get $lows) (i32.const 16)))
        (local.set $one (i32.add (local.get $one) (i32.const 2)))
        (local.set $two (i32.add (local.get $two) (i32.const 4)))
        (local.set $four (i32.add (local.get $four) (i32.const 8)))
        (br $next))))
  (func (export "textMap") (param $src i32) (param $count i32) (param $dst i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $src) (local.get $count)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $v (v128.load (local.get $src)))
        (i32.store16 (local.get $dst)
          (i8x16.bitmask
            (v128.and
              (i8x16.ge_u (local.get $v) (v128.const i8x16 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20))
              (i8x16.le_u (local.get $v) (v128.const i8x16 0x7e 0x7e 0x7e 0x7e 0x7e 0x7e 0x7e 0x7e 0x7e 0x7e 0x7e 0x7e 0x7e 0x7e 0x7e 0x7e)))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 2)))
        (br $next)))))

