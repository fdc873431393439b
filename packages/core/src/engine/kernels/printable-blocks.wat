;; The printable-strings channel's search for text in binary data (WebAssembly SIMD), for
;; printable-blocks.ts: `candidates(n)` reads the first n bytes at DATA (0), rounded down to a
;; multiple of 16 (the caller checks a last lone block itself), as 8-byte blocks and writes, at OUT (1048576), the index (i32) of every block whose eight bytes are all printable
;; ASCII (0x20-0x7e, tab, LF, CR), in order; it returns how many. Any run of 16 printable ASCII
;; bytes holds a whole block of this grid, so the caller looks at these blocks only: on weights,
;; almost none. Sixteen bytes a step; DATA holds 1 MiB, OUT 131072 indexes.
(module
  (memory (export "memory") 24)
  (func (export "candidates") (param $n i32) (result i32)
    (local $at i32) (local $out i32) (local $v v128) (local $mask i32)
    (local.set $out (i32.const 1048576))
    (block $done
      (loop $next
        (br_if $done (i32.gt_s (i32.add (local.get $at) (i32.const 16)) (local.get $n)))
        (local.set $v (v128.load align=1 (local.get $at)))
        ;; Printable: v - 0x20 below 0x5f (unsigned), or one of the three whitespace controls.
        (local.set $mask (i8x16.bitmask (v128.or
          (i8x16.lt_u (i8x16.sub (local.get $v) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))
            (v128.const i8x16 95 95 95 95 95 95 95 95 95 95 95 95 95 95 95 95))
          (v128.or
            (i8x16.eq (local.get $v) (v128.const i8x16 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9))
            (v128.or
              (i8x16.eq (local.get $v) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10))
              (i8x16.eq (local.get $v) (v128.const i8x16 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13)))))))
        (if (i32.eq (i32.and (local.get $mask) (i32.const 255)) (i32.const 255))
          (then
            (i32.store (local.get $out) (i32.shr_u (local.get $at) (i32.const 3)))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))))
        (if (i32.eq (i32.and (local.get $mask) (i32.const 65280)) (i32.const 65280))
          (then
            (i32.store (local.get $out) (i32.add (i32.shr_u (local.get $at) (i32.const 3)) (i32.const 1)))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $next)))
    (i32.shr_u (i32.sub (local.get $out) (i32.const 1048576)) (i32.const 2))))
