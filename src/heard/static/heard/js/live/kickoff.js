// Kickoff (permission to record, intros with a 2-minute timer, why we are here, the start) and
// the end of the call. These go straight to the server: the clock must be the server's.

import { call, errorMessage } from "./api.js";
import { clock, introsLeft } from "./budget.js";
import { $, h, say, wallTime } from "./dom.js";
import { Consent, InterviewStatus, Labels } from "./enums.js";
import { announce } from "./toast.js";

export function setupKickoff(app) {
  const { store, urls, outbox } = app;
  const root = $("live");
  const panel = $("kickoff");
  const toggle = $("kickoff-toggle");
  const problem = $("kickoff-error");
  let introsAnnounced = false;
  let wasStarted = Boolean(store.state.interview.started_at);

  /** Is the focus still where the person left it when `control` was used (or lost with it)? */
  function stillHere(control) {
    const active = document.activeElement;
    return !active || active === document.body || active === control;
  }

  function showPanel(open) {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? "Hide kickoff" : "Kickoff";
  }

  async function post(url, body, button) {
    if (button) button.disabled = true;
    say(problem, "");
    const answer = await call("POST", url, body);
    if (button) button.disabled = false;
    if (answer.status === 200 && answer.data && answer.data.interview) {
      store.setInterview(answer.data.interview, { fresh: true });
      return answer.data;
    }
    say(problem, `${errorMessage(answer)} Try again.`);
    return null;
  }

  // Permission to record --------------------------------------------------------------------

  function renderConsent() {
    const { consent, consent_by: by, consent_at: at } = store.state.interview;
    const result = $("consent-result");
    // The name in the direction of its own script, inside the English sentence.
    const who = by ? [" Asked by ", h("span", { dir: "auto" }, by), `${at ? ` at ${wallTime(at)}` : ""}.`] : [];
    root.classList.toggle("is-no-recording", consent === Consent.NO);
    result.className = `consent-result${consent ? ` consent-result--${consent}` : ""}`;
    if (consent === Consent.NO) result.replaceChildren("Recording is off for this interview: the customer said no.", ...who);
    else if (consent === Consent.YES) result.replaceChildren("The customer agreed to be recorded.", ...who);
    else result.textContent = app.canEdit ? "Not asked yet." : "Not asked yet: the interviewer asks at the start.";
    const buttons = $("consent-buttons");
    const change = $("consent-change");
    if (buttons && change) {
      // Once answered, the buttons step aside behind "Change the answer".
      buttons.hidden = Boolean(consent) && change.getAttribute("aria-expanded") !== "true";
      change.hidden = !consent || !buttons.hidden;
    }
    for (const button of document.querySelectorAll("#consent-buttons button")) {
      button.setAttribute("aria-pressed", String(button.dataset.answer === consent));
      button.classList.toggle("btn--secondary", button.dataset.answer !== consent);
    }
    const pill = $("recording-pill");
    pill.hidden = !consent;
    pill.textContent = consent === Consent.NO ? "Recording off: the customer said no" : "Recording allowed";
    pill.dataset.consent = consent || "";
  }

  const change = $("consent-change");
  if (change) {
    change.addEventListener("click", () => {
      change.setAttribute("aria-expanded", "true");
      renderConsent();
      $("consent-buttons").querySelector("button").focus();
    });
  }
  document.querySelectorAll("#consent-buttons button").forEach((button) => {
    button.addEventListener("click", async () => {
      const data = await post(urls.consent, { answer: button.dataset.answer }, button);
      if (data && change) {
        const here = stillHere(button);
        change.setAttribute("aria-expanded", "false");
        renderConsent();
        if (here) change.focus();
      }
      if (data) announce(button.dataset.answer === Consent.YES ? "Recording allowed." : "Recording is off for this interview.");
    });
  });

  // Intros -----------------------------------------------------------------------------------

  function renderIntros() {
    const left = introsLeft(store.state.interview, store.now());
    const clockText = $("intro-left");
    const note = $("intro-note");
    const box = $("intro-clock");
    const button = $("intros-start");
    box.classList.toggle("is-running", left !== null && left > 0);
    box.classList.toggle("is-over", left !== null && left <= 0);
    if (left === null) {
      clockText.textContent = "2:00";
      note.textContent = "for the intros";
    } else if (left > 0) {
      clockText.textContent = clock(left);
      note.textContent = "left for the intros";
    } else {
      clockText.textContent = `+${clock(-left)}`;
      note.textContent = "over the 2 minutes";
    }
    if (button) button.textContent = left === null ? "Start the 2-minute timer" : "Restart the timer";
    const alert = $("intro-alert");
    if (left !== null && left <= 0 && !introsAnnounced && -left < 60) {
      introsAnnounced = true;
      alert.textContent = "Two minutes: time to say why we are here.";
    } else if (left === null || left > 0) {
      introsAnnounced = false;
      alert.textContent = "";
    }
  }

  const introsButton = $("intros-start");
  if (introsButton) introsButton.addEventListener("click", () => post(urls.intros, {}, introsButton));

  // Start ------------------------------------------------------------------------------------

  const startButton = $("start-button");
  if (startButton) {
    startButton.addEventListener("click", async () => {
      const data = await post(urls.start, {}, startButton);
      if (data) {
        announce("The interview has started. The clock is running.");
        // Only if the person has not moved on while Heard answered: never steal the focus.
        if (stillHere(startButton)) app.focusComposer();
      }
    });
  }

  // State of the whole interview -------------------------------------------------------------

  function renderStatus() {
    const interview = store.state.interview;
    const started = Boolean(interview.started_at);
    const done = interview.status === InterviewStatus.DONE || Boolean(interview.ended_at);
    const badge = $("live-status");
    badge.textContent = Labels.InterviewStatus[interview.status] || interview.status;
    badge.className = `badge badge--${interview.status}`;
    root.classList.toggle("is-started", started);
    // Done or cancelled: the server takes no more changes.
    root.classList.toggle("is-done", done || interview.status === InterviewStatus.CANCELLED);
    $("done-banner").hidden = !done;
    $("wrapup-link").hidden = !done;
    const endOpen = $("end-open");
    if (endOpen) endOpen.hidden = !started || done;
    if (startButton) {
      startButton.hidden = started || !app.writable();
      $("start-help").textContent = started
        ? `Started at ${wallTime(interview.started_at)}.`
        : "The clock starts for everyone on the call. Notes are stamped with the time from then on.";
    }
    if (started && !wasStarted) showPanel(false);
    wasStarted = started;
  }

  toggle.addEventListener("click", () => {
    showPanel(panel.hidden);
    if (!panel.hidden) panel.querySelector("h2").scrollIntoView({ block: "nearest" });
  });

  // End --------------------------------------------------------------------------------------

  const dialog = $("end-dialog");
  const endOpen = $("end-open");
  if (dialog && endOpen) {
    endOpen.addEventListener("click", () => {
      const waiting = outbox.pending().length;
      say($("end-pending"), waiting ? `${waiting} change${waiting === 1 ? " is" : "s are"} still waiting to save; they are sent first, and from the wrap-up page if the connection stays down.` : "");
      say($("end-error"), "");
      $("end-promise").checked = Boolean(store.state.interview.promised_follow_up);
      dialog.showModal();
    });
    $("end-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const confirm = $("end-confirm");
      confirm.disabled = true;
      confirm.textContent = "Saving the last notes…";
      const idle = await outbox.whenIdle(8000);
      const refused = outbox.failed().length;
      if (!idle || refused) {
        // Heard takes no notes once the interview is done: end only when nothing waits.
        const waiting = outbox.pending().length;
        confirm.disabled = false;
        confirm.textContent = "End and open the wrap-up";
        say(
          $("end-error"),
          refused
            ? `${refused} note${refused === 1 ? " was" : "s were"} refused: fix or discard ${refused === 1 ? "it" : "them"} first (see the notes), then end.`
            : `${waiting} change${waiting === 1 ? " is" : "s are"} still waiting to save: no connection to Heard. End once the indicator says “All saved”, so that nothing is lost.`,
        );
        return;
      }
      confirm.textContent = "Ending…";
      const answer = await call("POST", urls.end, { promised_follow_up: $("end-promise").checked });
      if (answer.status === 200 && answer.data) {
        store.setInterview(answer.data.interview, { fresh: true });
        window.location.assign(answer.data.wrapup_url || urls.wrapup);
        return;
      }
      confirm.disabled = false;
      confirm.textContent = "End and open the wrap-up";
      say($("end-error"), `${errorMessage(answer)} The interview is still running; try again.`);
    });
  }
  document.querySelectorAll("dialog [data-close]").forEach((button) => {
    button.addEventListener("click", () => button.closest("dialog").close());
  });

  store.on("interview", () => {
    renderConsent();
    renderIntros();
    renderStatus();
  });
  setInterval(renderIntros, 1000);
  renderConsent();
  renderIntros();
  renderStatus();
  const interview = store.state.interview;
  showPanel(!interview.started_at && interview.status !== InterviewStatus.DONE && interview.status !== InterviewStatus.CANCELLED);
}
