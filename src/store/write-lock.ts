/**
 * SQLite has one writer at a time. paygate writes through two connections (the main one for
 * units of work, the writer thread's for charge writes); taking turns through this lock, instead
 * of colliding and sleeping in SQLite's busy handler, keeps the event loop from ever blocking.
 * Turns are granted in the order they were asked for.
 */
export type Release = () => void;

export class WriteLock {
  private held = false;
  private readonly waiting: ((release: Release) => void)[] = [];

  /** The lock now, when it is free and nobody waits for it; otherwise `null`. */
  tryAcquire(): Release | null {
    if (this.held) return null;
    this.held = true;
    return this.releaser();
  }

  /** Someone waits for the lock: its holder should pass it on soon. */
  get contended(): boolean {
    return this.waiting.length > 0;
  }

  /** Resolves once the lock is ours; call the returned function to pass it on. */
  acquire(): Promise<Release> {
    const release = this.tryAcquire();
    if (release) return Promise.resolve(release);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Passes the lock to the next in line, or frees it; calling it again does nothing. */
  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next(this.releaser());
      else this.held = false;
    };
  }
}
