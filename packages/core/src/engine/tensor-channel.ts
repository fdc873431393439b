import type { TensorFact } from "../facts.js";
import type { Origin, TensorSubscription } from "../plugin.js";
import type { Source } from "../source.js";
import { dtypeInfo, elementCount, isTensorDType } from "../tensors.js";
import type { ActiveDetector } from "./fact-bus.js";
import type { PendingTensor, SourceNode } from "./source-node.js";
import { TensorFeed } from "./tensor-feed.js";

/** Element types whose data the byte detectors read at the standard level too. */
const BYTE_TYPED = new Set<string>(["u8", "i8", "bool", "opaque"]);

/**
 * Tensors overlapping in one root (views, hostile declarations) each read their bytes: past this
 * many bytes per byte of the root (plus a floor), further tensors are not read, so the work stays
 * proportional to the file.
 */
const OVERLAP_FACTOR = 2;
const OVERLAP_FLOOR = 64 * 1024 * 1024;

export interface ChannelHost {
  readonly readsTensorData: boolean;
  /** Detectors that subscribe to tensors. */
  readonly subscribers: readonly ActiveDetector[];
  inconclusive(node: SourceNode, reason: string): void;
  detectorFailed(detector: ActiveDetector, error: unknown): void;
}

/**
 * Resolves where each declared tensor's bytes are and arranges their delivery: a range of the
 * declaring source, of a sibling member (matched by name, whichever is scanned first), or a source
 * the handler decodes. At levels that do not read tensor data, ranges are still recorded so byte
 * detectors can leave them out.
 */
export class TensorChannel {
  constructor(private readonly host: ChannelHost) {}

  /** A tensor fact emitted on `node`. */
  declared(node: SourceNode, fact: TensorFact): void {
    const data = fact.data;
    if (!data) return;
    if (!isTensorDType(fact.dtype)) {
      this.host.inconclusive(
        node,
        `tensor ${quote(fact.name)} has dtype ${quote(String(fact.dtype))}, not in core's vocabulary`,
      );
      return;
    }
    if (!validRange(data.offset, data.length)) {
      this.host.inconclusive(node, `tensor ${quote(fact.name)} declares an invalid data range`);
      return;
    }
    if (data.member === undefined) {
      this.place(node, fact, node.origin, data.offset, data.length);
      return;
    }
    const container = node.parent;
    if (!container) {
      this.host.inconclusive(
        node,
        `tensor ${quote(fact.name)} keeps its data in member ${quote(data.member)}, but the file is not inside a container`,
      );
      return;
    }
    const pending: PendingTensor = {
      fact,
      origin: node.origin,
      offset: data.offset,
      length: data.length,
      matched: false,
    };
    for (const member of container.children.get(data.member) ?? []) {
      pending.matched = true;
      this.placeInMember(member, pending);
    }
    const list = container.pendingMembers.get(data.member) ?? [];
    list.push(pending);
    container.pendingMembers.set(data.member, list);
  }

  /** A member was just created: tensors its siblings declared in it earlier now know their bytes. */
  memberCreated(member: SourceNode, name: string): void {
    for (const pending of member.parent?.pendingMembers.get(name) ?? []) {
      pending.matched = true;
      this.placeInMember(member, pending);
    }
  }

  /** The container's scan ended: tensors naming members it never had cannot be read. */
  containerEnded(container: SourceNode): void {
    for (const [member, list] of container.pendingMembers) {
      for (const pending of list) {
        if (pending.matched) continue;
        this.host.inconclusive(
          container,
          `tensor ${quote(pending.fact.name)} keeps its data in member ${quote(member)}, which the archive does not hold`,
        );
      }
    }
    container.pendingMembers.clear();
  }

  /** A tensor whose bytes the handler decodes: read when the node's scan ends. */
  decoded(node: SourceNode, fact: TensorFact, source: Source): void {
    const feed =
      this.host.readsTensorData && isTensorDType(fact.dtype)
        ? this.offer(fact, node.origin, node.origin, 0, source.size)
        : null;
    if (feed) node.sourceFeeds.push({ feed, source });
    // Not read: a source that holds a file open is closed now (read ones close after their read).
    else source.close?.().catch(() => undefined);
  }

  private placeInMember(member: SourceNode, pending: PendingTensor): void {
    this.place(member, pending.fact, pending.origin, pending.offset, pending.length);
  }

  private place(dataNode: SourceNode, fact: TensorFact, origin: Origin, offset: number, length: number): void {
    if (offset + length > dataNode.source.size) {
      this.host.inconclusive(
        dataNode,
        `tensor ${quote(fact.name)} declares ${length} bytes at offset ${offset}, past the end (${dataNode.source.size} bytes)`,
      );
      return;
    }
    const start = dataNode.rootStart + offset;
    // Byte-typed tensor data (u8, i8, bool, opaque) is bytes as much as numbers: a file carried in a
    // uint8 tensor is found only by the byte detectors, so the standard level reads it as bytes too.
    if (!BYTE_TYPED.has(fact.dtype)) dataNode.tensorRanges.push([start, start + length]);
    if (!this.host.readsTensorData) return;
    const pass = dataNode.root.rootPass;
    if (!pass || pass.done) {
      if (this.host.subscribers.length > 0) {
        this.host.inconclusive(
          dataNode,
          `tensor ${quote(fact.name)} was declared after its data's source was read; its values were not checked`,
        );
      }
      return;
    }
    if (pass.declaredBytes + length > OVERLAP_FACTOR * dataNode.root.source.size + OVERLAP_FLOOR) {
      this.host.inconclusive(
        dataNode,
        `tensor ${quote(fact.name)} and later ones were not read: declared tensors overlap far beyond the file's size`,
      );
      return;
    }
    const feed = this.offer(fact, origin, dataNode.origin, offset, length);
    if (!feed) return;
    pass.declaredBytes += length;
    pass.feeds.push({ feed, start });
  }

  /**
   * The feed of a tensor some subscriber's subscription takes; the detectors are asked for their
   * consumers when its data starts (`TensorFeed.openWith`), in the order the data comes.
   */
  private offer(fact: TensorFact, origin: Origin, dataOrigin: Origin, dataOffset: number, length: number) {
    const matching = this.host.subscribers.filter((detector) =>
      matchesSubscription(detector.registered.detector.tensors as TensorSubscription, fact),
    );
    if (matching.length === 0) return undefined;
    const feed = new TensorFeed(fact, origin, dataOrigin, dataOffset, length, (error) =>
      this.host.detectorFailed(matching[0]!, error),
    );
    feed.openWith(() => {
      for (const detector of matching) {
        let consumer: ReturnType<NonNullable<typeof detector.run.onTensor>>;
        try {
          consumer = detector.run.onTensor?.(feed);
        } catch (error) {
          this.host.detectorFailed(detector, error);
          continue;
        }
        detector.fed = true;
        if (consumer) feed.addConsumer(consumer, (error) => this.host.detectorFailed(detector, error));
      }
    });
    return feed;
  }
}

/** Whether a detector's subscription takes this tensor. */
export function matchesSubscription(subscription: TensorSubscription, fact: TensorFact): boolean {
  if (subscription.classes && !subscription.classes.includes(dtypeInfo(fact.dtype).class)) return false;
  if (subscription.minElements !== undefined && (elementCount(fact.shape) ?? 0) < subscription.minElements)
    return false;
  if (subscription.name && !subscription.name.test(fact.name)) return false;
  return true;
}

function validRange(offset: number, length: number): boolean {
  return Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 160 ? `${text.slice(0, 160)}…` : text);
}
