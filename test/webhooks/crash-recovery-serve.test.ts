/**
 * At least once, never lost, for the server: `paygate serve` runs the dispatcher inside it, and is
 * killed with SIGKILL mid-dispatch and restarted (the scenario: support/kill-nine.ts). `--no-demo`
 * keeps the demo app's rows out of the counts.
 */
import { describeKillNine } from './support/kill-nine.js';

describeKillNine(['serve', '--no-demo']);
