;; Where some bytes may hold a magic's first two bytes (WebAssembly SIMD), for magic-index.ts: a
;; filter that flags every offset whose pair is in the index and few others. Each pair of the index
;; is in one of 8 buckets (a bit); four 16-byte tables at 0 give, per nibble value, the buckets with
;; a pair whose first byte's low nibble (TABLES + 0), first byte's high nibble (+ 16), second byte's
;; low nibble (+ 32) or second byte's high nibble (+ 48) is that value. An offset is flagged when
;; some bucket has all four of its nibbles, as every pair of the index has; a flagged offset's pair
;; is then looked up in the index's pairs table (65536 bytes at PAIRS, 131072), which rules out the
;; few the nibbles let through. The tables and PAIRS are in the kernel's area at $base of the
;; thread's shared KernelMemory.
;;   find(from, to)  the first p = from, from + 16, ... below `to` where the pair at one of the 16
;;                   offsets from address 64 + p on is set, or the first p not below `to` when none is
;; It reads the 17 bytes from 64 + p: in place in a chunk (whose area has slack after it), or in
;; the kernel's data area at $base + 64, which has slack after its bytes.
(module
  (import "env" "memory" (memory 1 16384 shared))
  (global $base (mut i32) (i32.const 0))
  (func (export "setBase") (param $address i32) (global.set $base (local.get $address)))
  (func (export "find") (param $from i32) (param $to i32) (result i32)
    (local $x v128) (local $y v128) (local $low v128) (local $flagged v128) (local $lanes i32) (local $at i32)
    (local $firstLow v128) (local $firstHigh v128) (local $secondLow v128) (local $secondHigh v128)
    (local.set $firstLow (v128.load (global.get $base)))
    (local.set $firstHigh (v128.load offset=16 (global.get $base)))
    (local.set $secondLow (v128.load offset=32 (global.get $base)))
    (local.set $secondHigh (v128.load offset=48 (global.get $base)))
    (local.set $low (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $from) (local.get $to)))
        (local.set $x (v128.load offset=64 (local.get $from)))
        (local.set $y (v128.load offset=65 (local.get $from)))
        (local.set $flagged
          (v128.and
            (v128.and
              (i8x16.swizzle (local.get $firstLow) (v128.and (local.get $x) (local.get $low)))
              (i8x16.swizzle (local.get $firstHigh) (i8x16.shr_u (local.get $x) (i32.const 4))))
            (v128.and
              (i8x16.swizzle (local.get $secondLow) (v128.and (local.get $y) (local.get $low)))
              (i8x16.swizzle (local.get $secondHigh) (i8x16.shr_u (local.get $y) (i32.const 4))))))
        (if (v128.any_true (local.get $flagged))
          (then
            ;; Each flagged offset's pair in the table, lowest offset first.
            (local.set $lanes
              (i8x16.bitmask (i8x16.ne (local.get $flagged) (v128.const i32x4 0 0 0 0))))
            (loop $lane
              (local.set $at (i32.add (local.get $from) (i32.ctz (local.get $lanes))))
              (br_if $done
                (i32.load8_u offset=131072
                  (i32.add (global.get $base)
                    (i32.or
                      (i32.load8_u offset=64 (local.get $at))
                      (i32.shl (i32.load8_u offset=65 (local.get $at)) (i32.const 8))))))
              (local.set $lanes (i32.and (local.get $lanes) (i32.sub (local.get $lanes) (i32.const 1))))
              (br_if $lane (local.get $lanes)))))
        (local.set $from (i32.add (local.get $from) (i32.const 16)))
        (br $next)))
    (local.get $from)))
