// The guide's questions, in any order: each one's state set by a click or a key, the current one
// (focused or last touched) being what new notes link to. Must-ask questions still open stand out
// once time runs low.

import { $, h } from "./dom.js";
import { Labels, QuestionPriority, QuestionStatus } from "./enums.js";
import { displayStates, mustAskLeft } from "./merge.js";
import { announce } from "./toast.js";

/** The states a question can be set to, in the buttons' order, each with its label and key. */
export function statuses() {
  return [
    { status: QuestionStatus.OPEN, key: "o" },
    { status: QuestionStatus.ASKED, key: "a" },
    { status: QuestionStatus.ANSWERED, key: "n" },
    { status: QuestionStatus.COVERED, key: "c" },
    { status: QuestionStatus.SKIPPED, key: "s" },
  ].map((entry) => ({ ...entry, label: Labels.QuestionStatus[entry.status] }));
}

/** The state a key sets (a single-key shortcut), or undefined. */
export function statusForKey(key) {
  return statuses().find((entry) => entry.key === key)?.status;
}

export function setupQuestions(app) {
  const { store, outbox, urls } = app;
  const container = $("question-list");
  const rows = new Map(); // question id (string) → li
  let timeLow = Boolean(store.state.timeLow);

  function states() {
    return displayStates(store.state.questionStates, outbox.all());
  }

  function statusButtons(question) {
    if (!app.canEdit) return null;
    return h(
      "div",
      { class: "q-buttons", role: "group", "aria-label": "Set the state of this question" },
      statuses().map((entry) =>
        h(
          "button",
          {
            type: "button",
            class: `q-set q-set--${entry.status}`,
            dataset: { status: entry.status },
            "aria-pressed": "false",
            "aria-keyshortcuts": entry.key,
            tabindex: "-1",
            onclick: (event) => {
              event.stopPropagation();
              setStatus(question.id, entry.status);
            },
          },
          entry.label,
          " ",
          h("kbd", { "aria-hidden": "true" }, entry.key),
        ),
      ),
    );
  }

  function build() {
    const sections = store.state.sections.filter((section) => section.questions.length);
    $("no-guide").hidden = sections.length > 0;
    for (const section of sections) {
      const list = h("ol", { class: "q-list" });
      for (const question of section.questions) {
        const followUps = question.follow_ups && question.follow_ups.length
          ? h("ul", { class: "q-follow-ups", "aria-label": "Follow-up prompts" }, question.follow_ups.map((text) => h("li", {}, h("span", { dir: "auto" }, text))))
          : null;
        const li = h(
          "li",
          {
            class: `q q--${question.priority}`,
            tabindex: "-1",
            dataset: { id: String(question.id) },
            "aria-describedby": `q-state-${question.id}`,
          },
          h("span", { class: "q-mark", "aria-hidden": "true" }),
          h(
            "div",
            { class: "q-body" },
            h("p", { class: "q-text", dir: "auto" }, question.text),
            h(
              "p",
              { class: "q-meta" },
              h("span", { class: "q-state", id: `q-state-${question.id}` }, Labels.QuestionStatus[QuestionStatus.OPEN]),
              question.priority === QuestionPriority.MUST
                ? h("span", { class: `badge badge--${QuestionPriority.MUST}` }, Labels.QuestionPriority[QuestionPriority.MUST])
                : h("span", { class: "q-priority" }, Labels.QuestionPriority[question.priority] || ""),
              question.minutes ? h("span", { class: "q-minutes" }, `~${question.minutes} min`) : null,
              (question.points || []).length ? h("span", { class: "q-points", title: "Validation points this question serves" }, question.points.join(" · ")) : null,
            ),
            h("div", { class: "q-more" }, followUps, statusButtons(question)),
          ),
        );
        li.addEventListener("click", (event) => {
          if (event.target.closest("button, a")) return;
          li.focus();
        });
        li.addEventListener("focusin", () => {
          if (String(store.state.current) !== String(question.id)) store.setCurrent(question.id);
        });
        rows.set(String(question.id), li);
        list.append(li);
      }
      container.append(h("section", { class: "q-section" }, h("h3", { class: "q-section-title", dir: "auto" }, section.title), list));
    }
    const first = rows.values().next().value;
    if (first) first.tabIndex = 0;
  }

  function render() {
    const current = states();
    for (const [id, li] of rows) {
      const status = current.get(id) || QuestionStatus.OPEN;
      li.dataset.status = status;
      li.querySelector(".q-state").textContent = Labels.QuestionStatus[status] || status;
      li.querySelectorAll(".q-set").forEach((button) => {
        button.setAttribute("aria-pressed", String(button.dataset.status === status));
      });
    }
    const left = mustAskLeft(store.questions(), current);
    const leftIds = new Set(left.map((question) => String(question.id)));
    for (const [id, li] of rows) li.classList.toggle("is-urgent", timeLow && leftIds.has(id));
    const counter = $("must-left");
    const must = store.questions().filter((question) => question.priority === QuestionPriority.MUST).length;
    counter.textContent = must ? (left.length ? `${left.length} must-ask left` : "All must-ask covered") : "";
    counter.classList.toggle("is-urgent", timeLow && left.length > 0);
    counter.classList.toggle("is-done", must > 0 && left.length === 0);
    const header = $("budget-must");
    header.textContent = left.length ? `${left.length} must-ask left` : "";
    header.hidden = !(timeLow && left.length);
  }

  function showCurrent() {
    const currentId = store.state.current === null ? null : String(store.state.current);
    for (const [id, li] of rows) {
      const isCurrent = id === currentId;
      li.classList.toggle("is-current", isCurrent);
      li.setAttribute("aria-current", isCurrent ? "true" : "false");
      li.querySelectorAll(".q-set").forEach((button) => {
        button.tabIndex = isCurrent ? 0 : -1;
      });
    }
    // One question in the tab order: the current one, else the first.
    const target = (currentId && rows.get(currentId)) || rows.values().next().value;
    for (const li of rows.values()) li.tabIndex = li === target ? 0 : -1;
  }

  function setStatus(questionId, status) {
    if (!app.writable()) return;
    outbox.add({ type: "question", target: String(questionId), url: urls.question(questionId), body: { status } });
    store.setCurrent(questionId);
    render();
    const question = store.question(questionId);
    announce(`${Labels.QuestionStatus[status]}: ${question ? question.text.slice(0, 80) : "question"}.`);
  }

  function move(step, from) {
    const ids = [...rows.keys()];
    if (!ids.length) return;
    const at = ids.indexOf(from === null || from === undefined ? "" : String(from));
    let next;
    if (step === "first") next = 0;
    else if (step === "last") next = ids.length - 1;
    else if (at < 0) next = step > 0 ? 0 : ids.length - 1;
    else next = Math.min(ids.length - 1, Math.max(0, at + step));
    const li = rows.get(ids[next]);
    li.focus();
    li.scrollIntoView({ block: "nearest" });
  }

  container.addEventListener("keydown", (event) => {
    const li = event.target.closest("li.q");
    if (!li || event.altKey || event.ctrlKey || event.metaKey) return;
    const keys = { ArrowDown: 1, ArrowUp: -1, Home: "first", End: "last" };
    if (event.key in keys && event.target === li) {
      event.preventDefault();
      move(keys[event.key], li.dataset.id);
    } else if (event.key === "Enter" && event.target === li) {
      event.preventDefault();
      app.focusComposer();
    }
  });

  app.moveQuestion = (step) => move(step, store.state.current);
  app.setCurrentStatus = (status) => {
    if (store.state.current === null) {
      announce("Pick a question first: j or k.");
      return false;
    }
    setStatus(store.state.current, status);
    return true;
  };
  app.focusCurrentQuestion = () => {
    const li = (store.state.current !== null && rows.get(String(store.state.current))) || rows.values().next().value;
    if (li) li.focus();
  };
  app.focusQuestion = (id) => {
    const li = rows.get(String(id));
    if (!li) return;
    li.focus();
    li.scrollIntoView({ block: "nearest" });
  };

  build();
  store.on("questions", render);
  store.on("current", showCurrent);
  store.on("time", (detail) => {
    if (detail.low === timeLow) return;
    timeLow = detail.low;
    render();
  });
  outbox.subscribe(render);
  render();
  showCurrent();
}
