import type { Digests, HashAlgorithm } from "./digester.js";
import { createFileHash, type FileHash } from "./file-hash.js";
import type { SourceNode } from "./source-node.js";

/** The digests of one archive member (or decoded stream), by its member chain. */
export interface MemberDigest {
  memberChain: string[];
  size: number;
  digests: Digests;
}

interface Window {
  node: SourceNode;
  start: number;
  end: number;
  hash: FileHash;
  fed: number;
}

/**
 * Digests of the in-place members of a root (stored archive members: windows of the root's bytes),
 * fed from the root's single pass, so hashing a member never reads its bytes a second time.
 */
export class WindowDigests {
  private readonly windows: Window[];
  /** The first window not yet read to its end (windows are sorted by start). */
  private next = 0;

  constructor(nodes: readonly SourceNode[], algorithms: readonly HashAlgorithm[]) {
    this.windows = nodes
      .filter((node) => node.root !== node)
      .map((node) => ({
        node,
        start: node.rootStart,
        end: node.rootStart + node.source.size,
        hash: createFileHash(node.source.size, undefined, algorithms),
        fed: 0,
      }))
      .sort((left, right) => left.start - right.start);
  }

  /** Whether a window still waits for bytes at or after `offset`. */
  pendingAt(offset: number): boolean {
    for (let index = this.next; index < this.windows.length; index++) {
      const window = this.windows[index] as Window;
      if (window.end > offset && window.fed < window.end - window.start) return true;
    }
    return false;
  }

  /** Hands the part of a root chunk at `offset` that each window covers to its hash. */
  async push(chunk: Uint8Array, offset: number): Promise<void> {
    const chunkEnd = offset + chunk.length;
    const waits: Promise<void>[] = [];
    // Archives can hold thousands of members: skip the ones already complete instead of rescanning them.
    while (this.next < this.windows.length && isComplete(this.windows[this.next] as Window)) this.next++;
    for (let index = this.next; index < this.windows.length; index++) {
      const window = this.windows[index] as Window;
      if (window.start >= chunkEnd) break;
      const from = Math.max(offset, window.start + window.fed);
      const to = Math.min(chunkEnd, window.end);
      if (to <= from) continue;
      window.fed += to - from;
      const waiting = window.hash.update(chunk.subarray(from - offset, to - offset));
      if (waiting) waits.push(waiting);
    }
    await Promise.all(waits);
  }

  /** Digests of the windows read to their end; a window the pass did not complete has none. */
  async results(): Promise<MemberDigest[]> {
    const results: MemberDigest[] = [];
    for (const window of this.windows) {
      const digests = await window.hash.digest();
      if (window.fed !== window.end - window.start) continue;
      results.push({ memberChain: [...window.node.origin.memberChain], size: window.end - window.start, digests });
    }
    return results;
  }
}

function isComplete(window: Window): boolean {
  return window.fed === window.end - window.start;
}
