;; Histograms of 16-bit words (WebAssembly), for word-histogram.ts: the words at INPUT (0), 65536
;; i32 counters at `counts` (one of the slots after the input):
;;   count16(counts, n)  adds one to the counter of each of n little-endian 16-bit words
;;   count32(counts, n)  of n 32-bit words, adds one to the counter of the low 16 bits of those with a
;;                      nonzero bit among bits 16..22 (a float32's mantissa above them), and
;;                      returns how many it added
;; Counters wrap at 2^32 as a Uint32Array's do (callers stop well before).
(module
  (memory (export "memory") 20)
  (func (export "count16") (param $counts i32) (param $n i32)
    (local $p i32) (local $end i32) (local $at i32)
    (local.set $p (i32.const 0))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 1))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $at (i32.add (local.get $counts) (i32.shl (i32.load16_u (local.get $p)) (i32.const 2))))
        (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (br $next))))
  (func (export "count32") (param $counts i32) (param $n i32) (result i32)
    (local $p i32) (local $end i32) (local $word i32) (local $at i32) (local $counted i32)
    (local.set $p (i32.const 0))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $word (i32.load (local.get $p)))
        (if (i32.and (local.get $word) (i32.const 0x7f0000))
          (then
            (local.set $at
              (i32.add (local.get $counts) (i32.shl (i32.and (local.get $word) (i32.const 0xffff)) (i32.const 2))))
            (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
            (local.set $counted (i32.add (local.get $counted) (i32.const 1)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $next)))
    (local.get $counted)))
