import type { RemoteSource } from "@modelaudit/core/engine";
import { formatSize } from "./size.js";

export interface DownloadLimits {
  /** Bytes downloaded over the whole scan, every remote input together. */
  maxTotalBytes: number;
  /** Bytes of any one file. */
  maxFileBytes: number;
  /** Files listed in one repository. */
  maxFiles: number;
  /** A body that sends nothing this long is abandoned. */
  stallMs: number;
}

export const DEFAULT_LIMITS: DownloadLimits = {
  maxTotalBytes: 20 * 2 ** 30,
  maxFileBytes: 10 * 2 ** 30,
  maxFiles: 10_000,
  stallMs: 120_000,
};

/** A remote file that was not downloaded, named as in the report, with why: reported inconclusive. */
export interface NotDownloaded {
  path: string;
  size: number;
  reason: string;
}

/** One remote input, downloaded: what to scan, and how to name it in the report. */
export interface StagedInput {
  source: RemoteSource;
  /** The local file or directory to scan; absent when nothing could be downloaded. */
  local?: string;
  /** What replaces `local` in report paths (`hf://org/repo@<commit>`, the URL). */
  displayRoot: string;
  notDownloaded: NotDownloaded[];
}

/** The size caps, shared by every download of one scan. */
export class DownloadBudget {
  private used = 0;

  constructor(readonly limits: DownloadLimits) {}

  /** Why a file of this (announced) size is not downloaded, or undefined when it fits. */
  refusal(size: number): string | undefined {
    if (size > this.limits.maxFileBytes) {
      return `not downloaded: ${formatSize(size)} is over the per-file download cap of ${formatSize(this.limits.maxFileBytes)} (--max-download-file)`;
    }
    if (this.used + size > this.limits.maxTotalBytes) {
      return `not downloaded: it would take the downloads past the total cap of ${formatSize(this.limits.maxTotalBytes)} (--max-download)`;
    }
    return undefined;
  }

  /** The most bytes the next file may have, whatever its announced size. */
  nextCap(): number {
    return Math.max(0, Math.min(this.limits.maxFileBytes, this.limits.maxTotalBytes - this.used));
  }

  /** Why a body that went past `nextCap()` was abandoned. */
  overrun(): string {
    return `download abandoned: the server sent more than ${formatSize(this.nextCap())}, ${
      this.nextCap() === this.limits.maxFileBytes
        ? "the per-file download cap (--max-download-file)"
        : "what was left of the total download cap (--max-download)"
    }`;
  }

  add(bytes: number): void {
    this.used += bytes;
  }
}
