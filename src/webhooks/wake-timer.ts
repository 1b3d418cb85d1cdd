/**
 * One timer that fires at the earliest time asked of it: asking for a later time than the one
 * armed changes nothing, an earlier one re-arms it. The dispatcher sleeps on it until the next
 * thing it must do by itself (a poll, a retry falling due, results to record, the end of a pause).
 */
export interface WakeTimer {
  /** Fire at `at` (a clock time in ms; `now` is the same clock's present), or earlier if already armed so. */
  armAt(at: number, now: number): void;
  clear(): void;
}

export function createWakeTimer(fire: () => void): WakeTimer {
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Infinity;
  const clear = (): void => {
    clearTimeout(timer);
    timer = undefined;
    timerAt = Infinity;
  };
  return {
    armAt(at, now) {
      if (at === Infinity || (timer && timerAt <= at)) return;
      clear();
      timerAt = at;
      timer = setTimeout(() => {
        clear();
        fire();
      }, at - now);
    },
    clear,
  };
}
