import type { TensorFact } from "../facts.js";
import type { Origin } from "../plugin.js";
import { SliceSource, type Source } from "../source.js";
import type { TensorFeed } from "./tensor-feed.js";

/** A half-open byte range [start, end). */
export type Range = [number, number];

/**
 * One scanned source in the artifact's tree. A source whose bytes are a window of its parent (a
 * stored archive member read in place) shares its parent's root: the root's single byte pass feeds
 * it, so its bytes are read once. Any other source (an inflated member, decoded bytes) is a root of
 * its own, read in a pass of its own when its scan ends.
 */
export interface SourceNode {
  source: Source;
  origin: Origin;
  /** The member chain, or the file path at top level, for messages. */
  label: string;
  parent: SourceNode | undefined;
  root: SourceNode;
  /** Where this source's bytes start inside the root's source. */
  rootStart: number;
  /** Set on roots only. */
  rootPass: RootPass | undefined;
  /** Children by the name the handler gave them (several readings may scan one name twice). */
  children: Map<string, SourceNode[]>;
  /** Tensors declared (by a child) in members of this container not scanned yet, by member name. */
  pendingMembers: Map<string, PendingTensor[]>;
  /** Only the head read for sniffing goes to byte detectors (quick level, or tensor data at standard). */
  headOnly: boolean;
  head: Uint8Array;
  /** Ranges (root coordinates) left out of this node's own byte stream: children fed as their own segment. */
  childRanges: Range[];
  /** Declared tensor data (root coordinates) inside this source. */
  tensorRanges: Range[];
  /** Tensors whose bytes a handler decodes itself, read when this node's scan ends. */
  sourceFeeds: { feed: TensorFeed; source: Source }[];
}

/** What a root's byte pass feeds. */
export interface RootPass {
  /** Nodes (this root and its in-place descendants) whose bytes go to byte detectors. */
  segments: SourceNode[];
  feeds: { feed: TensorFeed; start: number }[];
  /** Data bytes declared in this root so far, to bound overlapping tensors. */
  declaredBytes: number;
  done: boolean;
}

export interface PendingTensor {
  fact: TensorFact;
  origin: Origin;
  offset: number;
  length: number;
  matched: boolean;
}

export function createNode(
  source: Source,
  origin: Origin,
  label: string,
  parent: SourceNode | undefined,
  head: Uint8Array,
): SourceNode {
  const node: SourceNode = {
    source,
    origin,
    label,
    parent,
    root: undefined as unknown as SourceNode,
    rootStart: 0,
    rootPass: undefined,
    children: new Map(),
    pendingMembers: new Map(),
    headOnly: false,
    head,
    childRanges: [],
    tensorRanges: [],
    sourceFeeds: [],
  };
  if (parent && source instanceof SliceSource && source.parent === parent.source) {
    node.root = parent.root;
    node.rootStart = parent.rootStart + source.start;
    parent.root.rootPass?.segments.push(node);
    parent.childRanges.push([node.rootStart, node.rootStart + source.size]);
  } else {
    node.root = node;
    node.rootPass = { segments: [node], feeds: [], declaredBytes: 0, done: false };
  }
  return node;
}

/** True when `ranges` together cover [start, end). */
export function covers(ranges: readonly Range[], start: number, end: number): boolean {
  const sorted = [...ranges].sort((left, right) => left[0] - right[0]);
  let position = start;
  for (const [from, to] of sorted) {
    if (from > position) break;
    if (to > position) position = to;
    if (position >= end) return true;
  }
  return position >= end;
}
