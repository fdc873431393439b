/**
 * Bounds how many scans run at once. Callers past the bound wait in arrival order; nothing is
 * rejected, so a burst of uploads queues instead of starving the machine.
 */
export class Semaphore {
  readonly capacity: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError("semaphore capacity must be a positive integer");
    this.capacity = capacity;
  }

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Runs `task` once a slot is free and releases the slot however the task ends. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.#acquire();
    try {
      return await task();
    } finally {
      this.#release();
    }
  }

  #acquire(): Promise<void> {
    if (this.#active < this.capacity) {
      this.#active++;
      return Promise.resolve();
    }
    // The slot passes straight from the releaser to the next waiter, so #active never dips.
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#active--;
  }
}
