/**
 * Which central entry miniz (torch.load's zip reader) opens for a name. miniz heap-sorts the entries
 * by lowercased name once, then binary-searches that order case-insensitively
 * (`mz_zip_reader_sort_central_dir_offsets_by_filename`, `mz_zip_locate_file_binary_search`); among
 * several entries whose names differ only in case, or not at all, the one it lands on depends on
 * that sort, so it is computed here the same way rather than guessed.
 */

const lower = (byte: number): number => (byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte);

/** `mz_zip_reader_filename_less`. */
function filenameLess(left: Uint8Array, right: Uint8Array): boolean {
  const shared = Math.min(left.length, right.length);
  for (let index = 0; index < shared; index++) {
    const l = lower(left[index] as number);
    const r = lower(right[index] as number);
    if (l !== r) return l < r;
  }
  return left.length < right.length;
}

/** `mz_zip_filename_compare`: negative, zero or positive. */
function filenameCompare(left: Uint8Array, right: Uint8Array): number {
  const shared = Math.min(left.length, right.length);
  for (let index = 0; index < shared; index++) {
    const l = lower(left[index] as number);
    const r = lower(right[index] as number);
    if (l !== r) return l - r;
  }
  return left.length - right.length;
}

/** The sorted index order miniz builds (its heap sort, step for step). */
export function minizSortedOrder(names: readonly Uint8Array[]): number[] {
  const size = names.length;
  const indices = names.map((_, index) => index);
  if (size <= 1) return indices;
  const less = (a: number, b: number): boolean => filenameLess(names[a] as Uint8Array, names[b] as Uint8Array);
  const swap = (a: number, b: number): void => {
    const kept = indices[a] as number;
    indices[a] = indices[b] as number;
    indices[b] = kept;
  };
  const siftDown = (start: number, end: number): void => {
    let root = start;
    for (;;) {
      let child = root * 2 + 1;
      if (child >= end) break;
      if (child + 1 < end && less(indices[child] as number, indices[child + 1] as number)) child++;
      if (!less(indices[root] as number, indices[child] as number)) break;
      swap(root, child);
      root = child;
    }
  };
  for (let start = (size - 2) >>> 1; ; start--) {
    siftDown(start, size);
    if (start === 0) break;
  }
  for (let end = size - 1; end > 0; end--) {
    swap(end, 0);
    siftDown(0, end);
  }
  return indices;
}

/** The index of the entry miniz opens for `wanted`, or null when it finds none. */
export function minizLocate(names: readonly Uint8Array[], order: readonly number[], wanted: Uint8Array): number | null {
  let low = 0;
  let high = order.length - 1;
  while (low <= high) {
    const middle = low + ((high - low) >> 1);
    const index = order[middle] as number;
    const comparison = filenameCompare(names[index] as Uint8Array, wanted);
    if (comparison === 0) return index;
    if (comparison < 0) low = middle + 1;
    else high = middle - 1;
  }
  return null;
}
