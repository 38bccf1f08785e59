// The time budget at the top: conversation, the team's reserve, the customer's reserve. Redrawn
// every second from the server's started_at and clock; quiet alerts when a reserve begins.

import { clock, elapsedSeconds, minutesLabel, partEntered, plan, position, shares, timeIsLow } from "./budget.js";
import { $ } from "./dom.js";
import { InterviewStatus } from "./enums.js";
import { call, errorMessage } from "./api.js";
import { showToast } from "./toast.js";

const PART_LABEL = {
  conversation: "Conversation",
  team: "Team's questions",
  customer: "Customer's questions",
  over: "Over time",
};

export function setupTimebar(app) {
  const { store, urls } = app;
  const root = $("live");
  const alert = $("time-alert");
  let lastPart = null;
  let lastLow = null;
  let alertKey = null;

  function alertFor(part, low) {
    const budget = plan(store.state.interview);
    if (part === "team") return ["team", `Time for the team's questions: ${minutesLabel(budget.team)} for the notetaker and guests.`];
    if (part === "customer") return ["customer", "Time for the customer's questions: ask what is on their mind, and promise to follow up."];
    if (part === "over") return ["over", "The planned time is over. Thank them, and end the interview."];
    if (low) return ["low", "Under a quarter of the conversation time is left: make sure the must-ask questions are covered."];
    return [null, ""];
  }

  function render() {
    const interview = store.state.interview;
    const budget = plan(interview);
    const started = Boolean(interview.started_at);
    const ended = Boolean(interview.ended_at) || interview.status === InterviewStatus.DONE;
    const elapsed = elapsedSeconds(interview, store.now());
    const where = position(budget, elapsed);
    const share = shares(budget, elapsed);

    $("seg-conversation").style.width = `${share.conversation}%`;
    $("seg-team").style.width = `${share.team}%`;
    $("seg-customer").style.width = `${share.customer}%`;
    $("budget-fill").style.width = `${share.elapsed}%`;
    $("budget-now").style.left = `${share.elapsed}%`;
    $("budget-now").hidden = !started;
    $("legend-conversation").textContent = clock(budget.conversation).replace(/:00$/, " min");
    $("legend-team").textContent = `${Math.round(budget.team / 60)} min`;
    $("legend-customer").textContent = `${Math.round(budget.customer / 60)} min`;
    $("budget-elapsed").textContent = clock(elapsed);
    $("budget-total").textContent = clock(budget.total);

    const partLabel = $("budget-part-label");
    const left = $("budget-left");
    const leftLabel = $("budget-left-label");
    if (!started) {
      partLabel.textContent = "Not started";
      left.textContent = clock(budget.conversation);
      leftLabel.textContent = "to talk, once started";
    } else if (ended) {
      partLabel.textContent = "Ended";
      left.textContent = where.overBy ? `+${clock(where.overBy)}` : clock(budget.total - elapsed);
      leftLabel.textContent = where.overBy ? "over the plan" : "before the planned end";
    } else if (where.part === "over") {
      partLabel.textContent = PART_LABEL.over;
      left.textContent = `+${clock(where.overBy)}`;
      leftLabel.textContent = "past the planned end";
    } else {
      partLabel.textContent = PART_LABEL[where.part];
      left.textContent = clock(where.left);
      leftLabel.textContent = "left";
    }
    $("budget-bar").setAttribute(
      "aria-label",
      started
        ? `Time budget: ${clock(elapsed)} of ${clock(budget.total)} used; now in: ${PART_LABEL[where.part]}.`
        : `Time budget: ${clock(budget.total)} planned, the conversation ${minutesLabel(budget.conversation)}, then ${minutesLabel(budget.team)} for the team and ${minutesLabel(budget.customer)} for the customer.`,
    );

    const live = started && !ended;
    const low = live && timeIsLow(budget, elapsed);
    root.dataset.part = live ? where.part : started ? "ended" : "before";
    root.classList.toggle("is-time-low", low);
    if (low !== lastLow) {
      lastLow = low;
      store.state.timeLow = low;
      store.emit("time", { low, part: where.part });
    }
    const [key, text] = live ? alertFor(where.part, low) : [null, ""];
    // Change the live region only when the situation changes: a screen reader hears it once.
    if (key !== alertKey) {
      alertKey = key;
      alert.textContent = text;
      alert.hidden = !text;
      alert.dataset.part = key || "";
      if (lastPart !== null && live && partEntered(lastPart, where.part)) alert.classList.add("is-fresh");
    }
    lastPart = live ? where.part : null;

    const select = $("team-reserve");
    if (select && document.activeElement !== select) {
      select.value = String(Math.round((interview.team_reserve_s || 600) / 60));
      select.disabled = ended;
    }
  }

  const select = $("team-reserve");
  if (select) {
    select.addEventListener("change", async () => {
      const answer = await call("POST", urls.reserves, { team_reserve_minutes: Number(select.value) });
      if (answer.status === 200 && answer.data) store.setInterview(answer.data.interview, { fresh: true });
      else {
        showToast(`The reserve was not changed: ${errorMessage(answer)}`);
        select.value = String(Math.round(store.state.interview.team_reserve_s / 60));
      }
      render();
    });
  }
  alert.addEventListener("animationend", () => alert.classList.remove("is-fresh"));
  store.on("interview", render);
  store.on("clock", render);
  render();
  setInterval(render, 1000);
  return { render };
}
