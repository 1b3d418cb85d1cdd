/**
 * At least once, never lost, for the dispatcher-only process: `paygate worker` is killed with
 * SIGKILL mid-dispatch and restarted (the scenario: support/kill-nine.ts).
 */
import { describeKillNine } from './support/kill-nine.js';

describeKillNine(['worker']);
