// The why-ladder: after a solution request, ask "why?" up to five times and end on the root pain.
// Each why is a note of kind NoteKind.WHY, the root pain one of NoteKind.PAIN; both point at the
// request with ladder_of. Keyboard only: Enter saves a why, Ctrl+Enter the root pain, Esc closes.

import { MAX_WHYS_DEFAULT, whysOf } from "./ladder-rules.js";
import { kindLabel, problemWith } from "./compose.js";
import { $, autoGrow, h, say } from "./dom.js";
import { NoteKind } from "./enums.js";
import { announce } from "./toast.js";

export function setupLadder(app) {
  const panel = $("ladder");
  if (!panel) return null;
  const input = $("ladder-input");
  const label = $("ladder-label");
  const steps = $("ladder-steps");
  const request = $("ladder-request");
  const painLine = $("ladder-pain");
  const error = $("ladder-error");
  const saveButton = $("ladder-save");
  let requestId = null;

  function requestNote() {
    return requestId ? app.view().get(requestId) : null;
  }

  function render() {
    if (!requestId) return;
    const note = requestNote();
    if (!note || note.deleted) {
      close(false);
      return;
    }
    request.replaceChildren(h("span", { class: `badge badge--note-${NoteKind.SOLUTION_REQUEST}` }, kindLabel(NoteKind.SOLUTION_REQUEST)), " ", h("span", { class: "prewrap", dir: "auto" }, note.text));
    const { whys, pains } = whysOf(app.view(), requestId);
    steps.replaceChildren(
      ...whys.map((why, index) =>
        h(
          "li",
          {},
          h("span", { class: "ladder-step-text prewrap", dir: "auto" }, why.text),
          " ",
          h(
            "button",
            {
              type: "button",
              class: "btn btn--secondary btn--small ladder-mark",
              onclick: () => savePain(why.text),
            },
            "Root pain",
            h("span", { class: "visually-hidden" }, `: why ${index + 1}`),
          ),
        ),
      ),
    );
    painLine.replaceChildren(...(pains.length ? ["Root pain: ", h("span", { dir: "auto" }, pains[pains.length - 1].text)] : []));
    painLine.hidden = !pains.length;
    const full = whys.length >= MAX_WHYS_DEFAULT;
    label.textContent = full ? "Five whys logged: what is the root pain?" : `Why? (${whys.length + 1} of ${MAX_WHYS_DEFAULT})`;
    saveButton.disabled = full;
  }

  function open(id) {
    requestId = id;
    panel.hidden = false;
    input.value = "";
    say(error, "");
    render();
    input.focus();
    announce("Why-ladder open: why do they need that? Enter saves a why, Control+Enter the root pain, Escape closes.");
  }

  function close(returnFocus = true) {
    const hadFocus = panel.contains(document.activeElement);
    requestId = null;
    panel.hidden = true;
    // Never leave the focus on a hidden panel: single-key shortcuts would catch the typing.
    if (returnFocus || hadFocus) app.focusComposer();
  }

  function base(kind, text) {
    const note = requestNote();
    return app.newNoteBody(kind, text, { ladder_of: requestId, question: note ? note.question ?? null : null });
  }

  function saveWhy() {
    const text = input.value.trim();
    const problem = problemWith(text);
    if (problem) {
      say(error, problem === "empty" ? "" : problem);
      return;
    }
    if (whysOf(app.view(), requestId).whys.length >= MAX_WHYS_DEFAULT) {
      say(error, "Five whys are enough: mark the root pain (Ctrl+Enter).");
      return;
    }
    say(error, "");
    app.saveNote(base(NoteKind.WHY, text));
    input.value = "";
    autoGrow(input);
    render();
    announce("Why saved.");
  }

  function savePain(text) {
    const problem = problemWith(text);
    if (problem) {
      say(error, problem === "empty" ? "Type the root pain, or log a why first." : problem);
      input.focus();
      return;
    }
    app.saveNote(base(NoteKind.PAIN, text));
    announce("Root pain saved.");
    close();
  }

  function rootPain() {
    const typed = input.value.trim();
    if (typed) return savePain(typed);
    const { whys } = whysOf(app.view(), requestId);
    return savePain(whys.length ? whys[whys.length - 1].text : "");
  }

  input.addEventListener("keydown", (event) => {
    if (event.isComposing) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      rootPain();
    } else if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      saveWhy();
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("input", () => autoGrow(input));
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && event.target !== input) {
      event.preventDefault();
      close();
    }
  });
  saveButton.addEventListener("click", () => {
    saveWhy();
    input.focus();
  });
  $("ladder-root").addEventListener("click", rootPain);
  $("ladder-close").addEventListener("click", () => close());
  app.store.on("view", render);

  return { open, close, isOpen: () => requestId !== null };
}
