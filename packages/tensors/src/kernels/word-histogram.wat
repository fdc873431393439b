;; Histograms of 16-bit words (WebAssembly), for word-histogram.ts, in the thread's shared
;; KernelMemory: the words at address p (in place in a chunk, or copied to the kernel's input
;; area), 65536 i32 counters at `counts` (one of the slots after the input):
;;   count16(counts, n, p)  adds one to the counter of each of n little-endian 16-bit words
;;   count32(counts, n, p)  of n 32-bit words, adds one to the counter of the low 16 bits of those with a
;;                      nonzero bit among bits 16..22 (a float32's mantissa above them), and
;;                      returns how many it added
;; Counters wrap at 2^32 as a Uint32Array's do (callers stop well before). Four words a step, each
;; counter's address worked out before any is touched, so one increment never waits on the next
;; word's load; count32 adds 0 or 1 rather than branching.
(module
  (import "env" "memory" (memory 1 16384 shared))
  (func (export "count16") (param $counts i32) (param $n i32) (param $p i32)
    (local $end i32) (local $a i32) (local $b i32) (local $c i32) (local $d i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 1))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $a (i32.add (local.get $counts) (i32.shl (i32.load16_u offset=0 (local.get $p)) (i32.const 2))))
        (local.set $b (i32.add (local.get $counts) (i32.shl (i32.load16_u offset=2 (local.get $p)) (i32.const 2))))
        (local.set $c (i32.add (local.get $counts) (i32.shl (i32.load16_u offset=4 (local.get $p)) (i32.const 2))))
        (local.set $d (i32.add (local.get $counts) (i32.shl (i32.load16_u offset=6 (local.get $p)) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (i32.store (local.get $b) (i32.add (i32.load (local.get $b)) (i32.const 1)))
        (i32.store (local.get $c) (i32.add (i32.load (local.get $c)) (i32.const 1)))
        (i32.store (local.get $d) (i32.add (i32.load (local.get $d)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $next)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 1))))
    (block $tail
      (loop $one
        (br_if $tail (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $a (i32.add (local.get $counts) (i32.shl (i32.load16_u (local.get $p)) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (br $one))))
  (func (export "count32") (param $counts i32) (param $n i32) (param $p i32) (result i32)
    (local $end i32) (local $counted i32) (local $word i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32)
    (local $ia i32) (local $ib i32) (local $ic i32) (local $id i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $word (i32.load offset=0 (local.get $p)))
        (local.set $ia (i32.ne (i32.and (local.get $word) (i32.const 0x7f0000)) (i32.const 0)))
        (local.set $a (i32.add (local.get $counts) (i32.shl (i32.and (local.get $word) (i32.const 0xffff)) (i32.const 2))))
        (local.set $word (i32.load offset=4 (local.get $p)))
        (local.set $ib (i32.ne (i32.and (local.get $word) (i32.const 0x7f0000)) (i32.const 0)))
        (local.set $b (i32.add (local.get $counts) (i32.shl (i32.and (local.get $word) (i32.const 0xffff)) (i32.const 2))))
        (local.set $word (i32.load offset=8 (local.get $p)))
        (local.set $ic (i32.ne (i32.and (local.get $word) (i32.const 0x7f0000)) (i32.const 0)))
        (local.set $c (i32.add (local.get $counts) (i32.shl (i32.and (local.get $word) (i32.const 0xffff)) (i32.const 2))))
        (local.set $word (i32.load offset=12 (local.get $p)))
        (local.set $id (i32.ne (i32.and (local.get $word) (i32.const 0x7f0000)) (i32.const 0)))
        (local.set $d (i32.add (local.get $counts) (i32.shl (i32.and (local.get $word) (i32.const 0xffff)) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (local.get $ia)))
        (i32.store (local.get $b) (i32.add (i32.load (local.get $b)) (local.get $ib)))
        (i32.store (local.get $c) (i32.add (i32.load (local.get $c)) (local.get $ic)))
        (i32.store (local.get $d) (i32.add (i32.load (local.get $d)) (local.get $id)))
        (local.set $counted (i32.add (local.get $counted) (i32.add (i32.add (local.get $ia) (local.get $ib)) (i32.add (local.get $ic) (local.get $id)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tail
      (loop $one
        (br_if $tail (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $word (i32.load (local.get $p)))
        (local.set $ia (i32.ne (i32.and (local.get $word) (i32.const 0x7f0000)) (i32.const 0)))
        (local.set $a (i32.add (local.get $counts) (i32.shl (i32.and (local.get $word) (i32.const 0xffff)) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (local.get $ia)))
        (local.set $counted (i32.add (local.get $counted) (local.get $ia)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $one)))
    (local.get $counted)))
