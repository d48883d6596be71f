// The quality table of techcheck/verdict.py, which the page carries as data
// ({% quality_thresholds %}): how a connection's delay and loss read as good, warning or bad.
// The tech check's verdict and the room's connection indicator judge by these same numbers.

const element = document.getElementById("quality-thresholds");
export const table = element ? JSON.parse(element.textContent) : null;

const LEVELS = ["good", "warning", "bad"];

function rank(value, { good_below: goodBelow, bad_above: badAbove }) {
  if (value < goodBelow) return 0;
  return value > badAbove ? 2 : 1;
}

// delayMs is one way, from one person to the other (see techcheck/verdict.py); the worse of
// the two figures decides.
export function levelOf({ delayMs, lossPercent }) {
  return LEVELS[Math.max(rank(delayMs, table.delay_ms), rank(lossPercent, table.loss_percent))];
}

// Whether a microphone whose loudest moment was `rms` (0 to 1) heard anything.
export function hears(rms) {
  return rms >= table.microphone_heard_from;
}
