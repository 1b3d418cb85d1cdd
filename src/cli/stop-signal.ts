/**
 * SIGINT / SIGTERM handling for long-running commands. The handlers are installed before the
 * command announces itself ("Press Ctrl-C to stop"), so a signal sent the moment that line appears
 * is never met by Node's default action (death without cleanup): the first signal asks for a
 * graceful stop, a second one exits at once.
 */

export interface StopSignal {
  /** Resolves with the first signal received. */
  readonly received: Promise<NodeJS.Signals>;
  /** Removes the handlers (after the graceful stop has finished). */
  dispose(): void;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

export function listenForStop(onSecondSignal: () => void = () => process.exit(1)): StopSignal {
  let first = true;
  let resolve!: (signal: NodeJS.Signals) => void;
  const received = new Promise<NodeJS.Signals>((r) => { resolve = r; });
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!first) return onSecondSignal();
    first = false;
    resolve(signal);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return {
    received,
    dispose: () => { for (const signal of SIGNALS) process.off(signal, onSignal); },
  };
}
