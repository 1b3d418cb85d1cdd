/**
 * SQLite has one writer at a time. paygate writes through two connections (the main one for
 * units of work, the writer thread's for charge writes); taking turns through this lock, instead
 * of colliding and sleeping in SQLite's busy handler, keeps the event loop from ever blocking.
 */
export class WriteLock {
  private tail: Promise<void> = Promise.resolve();

  /** Resolves once the lock is ours; call the returned function to pass it on. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => { release = resolve; });
    const granted = this.tail.then(() => release);
    this.tail = this.tail.then(() => mine);
    return granted;
  }
}
