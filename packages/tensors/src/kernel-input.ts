/**
 * How a kernel over float32 values reads values[start..end): where they are, in one call, when they
 * lie in the thread's KernelMemory (a chunk read there); else copied into the kernel's input area,
 * `blockValues` at a time. `call(address, count)` runs once per piece, in order.
 */

import { type AlignedArea, KernelMemory } from "@modelaudit/core/detector";

export function forKernel(
  input: AlignedArea,
  values: Float32Array,
  start: number,
  end: number,
  blockValues: number,
  call: (address: number, count: number) => void,
): void {
  if (KernelMemory.get()?.holds(values) === true) {
    call(values.byteOffset + start * 4, end - start);
    return;
  }
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  for (let at = start; at < end; ) {
    const stop = Math.min(end, at + blockValues);
    call(input.copy(bytes.subarray(at * 4, stop * 4)), stop - at);
    at = stop;
  }
}
