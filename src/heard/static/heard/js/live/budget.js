// The time budget of a live interview, as pure functions: no DOM, no timers, no clock of their own.
//
// Every moment is the server's. The page learns the offset between the server's clock and this
// browser's (`clockOffset`) from each answer that carries the server's "now", and reads the time
// as Date.now() + offset. Elapsed time is then "server now − started_at": a tab that slept, or a
// laptop clock set wrong, changes nothing, because no local counter is ever summed.

export const INTRO_SECONDS = 120;
// Once less than this share of the conversation time is left, time is "low".
export const LOW_SHARE = 0.25;

/** Milliseconds to add to this browser's clock to read the server's. */
export function clockOffset(serverIso, clientMs) {
  const server = Date.parse(serverIso);
  return Number.isFinite(server) ? server - clientMs : 0;
}

/** Seconds into the interview at `nowMs` (server time): 0 before the start, frozen at the end. */
export function elapsedSeconds(interview, nowMs) {
  const start = Date.parse(interview.started_at || "");
  if (!Number.isFinite(start)) return 0;
  const end = Date.parse(interview.ended_at || "");
  const until = Number.isFinite(end) ? end : nowMs;
  return Math.max(0, Math.floor((until - start) / 1000));
}

/** The planned parts, in seconds: conversation, then the team's reserve, then the customer's. */
export function plan(interview) {
  const total = Math.max(0, interview.length_s || 0);
  const team = Math.min(Math.max(0, interview.team_reserve_s || 0), total);
  const customer = Math.min(Math.max(0, interview.customer_reserve_s || 0), total - team);
  return { total, conversation: total - team - customer, team, customer };
}

/**
 * Where `elapsed` falls in the plan:
 * part: "conversation" | "team" | "customer" | "over";
 * left: seconds left in that part (0 when over); overBy: seconds past the planned end.
 */
export function position(budget, elapsed) {
  const teamStart = budget.conversation;
  const customerStart = teamStart + budget.team;
  if (elapsed < teamStart) return { part: "conversation", left: teamStart - elapsed, overBy: 0 };
  if (elapsed < customerStart) return { part: "team", left: customerStart - elapsed, overBy: 0 };
  if (elapsed < budget.total) return { part: "customer", left: budget.total - elapsed, overBy: 0 };
  return { part: "over", left: 0, overBy: elapsed - budget.total };
}

/** Time runs low once under a quarter of the conversation is left, or a reserve has begun. */
export function timeIsLow(budget, elapsed) {
  const where = position(budget, elapsed);
  if (where.part !== "conversation") return true;
  return where.left < budget.conversation * LOW_SHARE;
}

/** Widths of the bar's parts and of the elapsed fill, in percent of the planned length. */
export function shares(budget, elapsed) {
  if (!budget.total) return { conversation: 100, team: 0, customer: 0, elapsed: 0 };
  const pct = (seconds) => (100 * seconds) / budget.total;
  return {
    conversation: pct(budget.conversation),
    team: pct(budget.team),
    customer: pct(budget.customer),
    elapsed: Math.min(100, pct(elapsed)),
  };
}

/** The later part entered when going from `before` to `after`, worth a (quiet) alert; else null. */
export function partEntered(before, after) {
  const order = ["conversation", "team", "customer", "over"];
  if (!before || order.indexOf(after) <= order.indexOf(before)) return null;
  return after;
}

/** Seconds left of the 2-minute intros (negative once they run over), or null before they start. */
export function introsLeft(interview, nowMs) {
  const start = Date.parse(interview.intros_started_at || "");
  if (!Number.isFinite(start)) return null;
  return INTRO_SECONDS - Math.floor((nowMs - start) / 1000);
}

/** "4:05", "1:02:09"; negative values get a minus sign. */
export function clock(seconds) {
  const sign = seconds < 0 ? "−" : "";
  let rest = Math.abs(Math.trunc(seconds));
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const secs = String(rest % 60).padStart(2, "0");
  if (hours) return `${sign}${hours}:${String(minutes).padStart(2, "0")}:${secs}`;
  return `${sign}${minutes}:${secs}`;
}

/** "7 min", "1 min", "under a minute". */
export function minutesLabel(seconds) {
  const minutes = Math.floor(Math.max(0, seconds) / 60);
  if (!minutes) return "under a minute";
  return `${minutes} min`;
}
