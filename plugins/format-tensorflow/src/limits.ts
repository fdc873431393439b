/** Bounds on hostile input, on top of the engine's limits. */
export const TENSORFLOW_LIMITS = {
  /** Largest protobuf read into memory, whatever the engine allows (protobuf caps messages at 2 GiB). */
  maxProtoBytes: 1024 ** 3,
  /** Nodes across every graph and function of one file. */
  maxNodes: 1_000_000,
  /** Functions in all libraries of one file. */
  maxFunctions: 100_000,
  /** Fields one leaf message (a NodeDef, a signature) may hold before we refuse to decode it. */
  maxMessageFields: 2_000_000,
  /** Leaf messages at least this large get their field count estimated before decoding. */
  estimateAbove: 256 * 1024,
  /** Nesting of attribute values (func attrs holding attrs holding lists...). */
  maxAttributeDepth: 8,
  /** Strings in graph-node attributes. */
  maxAttributeString: 4 * 1024,
  /** Strings in text facts. */
  maxText: 1024 * 1024,
  /** Attributes kept per node in a graph-node fact. */
  maxAttributesPerNode: 256,
  /** String constants and string-list items emitted per node. */
  maxStringsPerNode: 100_000,
} as const;

/** Bounds on a checkpoint index (see checkpoint-index.ts). */
export const CHECKPOINT_LIMITS = {
  /** Largest index read into memory (an index is a few hundred bytes a variable). */
  maxIndexBytes: 256 * 1024 * 1024,
  maxEntries: 200_000,
  maxKeyLength: 64 * 1024,
  /** Shards a header may declare (names are `%05d`). */
  maxShards: 99_999,
} as const;
