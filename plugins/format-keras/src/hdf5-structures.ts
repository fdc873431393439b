/**
 * HDF5 metadata structures recognised by their signatures (the file format specification, section
 * III): a file whose superblock sits past the sniff window still shows them in its last 64 KiB,
 * because h5py and libhdf5 write group and object metadata between and after the datasets.
 * Each pattern is the 4-byte signature plus the version (and reserved zero) bytes that follow it, so
 * text that merely says "TREE" or "HEAP" does not match.
 */
const STRUCTURES: readonly (readonly number[])[] = [
  [..."HEAP"].map((char) => char.charCodeAt(0)).concat([0, 0, 0, 0]), // local heap v0
  [..."SNOD"].map((char) => char.charCodeAt(0)).concat([1, 0]), // symbol table node v1
  [..."GCOL"].map((char) => char.charCodeAt(0)).concat([1, 0, 0, 0]), // global heap collection v1
  [..."OHDR"].map((char) => char.charCodeAt(0)).concat([2]), // object header v2
  [..."FRHP"].map((char) => char.charCodeAt(0)).concat([0]), // fractal heap header v0
  [..."BTHD"].map((char) => char.charCodeAt(0)).concat([0]), // v2 B-tree header
  [..."TREE"].map((char) => char.charCodeAt(0)), // v1 B-tree node: type and level checked below
];

function matchesAt(bytes: Uint8Array, offset: number, pattern: readonly number[]): boolean {
  for (let index = 0; index < pattern.length; index++) if (bytes[offset + index] !== pattern[index]) return false;
  return true;
}

/** Counts HDF5 metadata structures in `bytes`, stopping at `enough`. */
export function countHdf5Structures(bytes: Uint8Array, enough = 2): number {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let count = 0;
  for (const pattern of STRUCTURES) {
    const signature = Buffer.from(pattern.slice(0, 4));
    for (let at = buffer.indexOf(signature); at !== -1; at = buffer.indexOf(signature, at + 1)) {
      const isTree = pattern.length === 4;
      // A v1 B-tree node: node type 0 (group) or 1 (chunk), then a level below 64.
      const ok = isTree ? (bytes[at + 4] ?? 2) <= 1 && (bytes[at + 5] ?? 64) < 64 : matchesAt(bytes, at, pattern);
      if (ok && ++count >= enough) return count;
    }
  }
  return count;
}
