// Notes: the one input that takes them (kind by prefix or Alt+digit), and the list everyone on
// the call shares, newest first. Every change goes through the outbox; the list shows what waits.

import { collapsible } from "../collapse.js";
import { kindLabel, MAX_NOTE_LENGTH, noteKinds, noteLength, parseNote, problemWith } from "./compose.js";
import { $, autoGrow, h, say, stamp } from "./dom.js";
import { NoteKind } from "./enums.js";
import { displayNotes, newestFirst } from "./merge.js";
import { announce, showToast } from "./toast.js";

const COUNTER_FROM = MAX_NOTE_LENGTH - 1000;

export function newNoteId() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  // Older browsers on plain http: a version-4 UUID from getRandomValues.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function setupNotes(app) {
  const { store, outbox, urls } = app;
  const list = $("note-list");
  const items = new Map(); // note id → li
  const editing = new Set(); // note ids with their editor open
  const opened = new Set(); // ids of long notes someone opened whole
  const kinds = noteKinds(); // what the note input and the editor offer, in order
  let chosenKind = NoteKind.NOTE;
  let lastDeleted = null;

  // Views ------------------------------------------------------------------------------------

  app.view = () => displayNotes(store.state.notes, outbox.all(), store.state.me);

  function isMine(note) {
    return Boolean(note.author && String(note.author.id) === String(store.state.me.id));
  }

  function canChange(note) {
    return app.writable() && isMine(note);
  }

  /** Save a note (new or changed): into the outbox first, then to the server. */
  app.saveNote = (body) => {
    outbox.add({ type: "note", target: body.id, url: urls.notes, body });
    render();
  };

  app.newNoteBody = (kind, text, extra = {}) => ({
    id: newNoteId(),
    kind,
    text,
    elapsed_seconds: app.elapsedNow(),
    question: store.state.current,
    ladder_of: null,
    ...extra,
  });

  // The composer -----------------------------------------------------------------------------

  const form = $("composer");
  const input = $("note-input");
  const chip = $("kind-chip");
  const error = $("composer-error");
  const linkLine = $("composer-link");
  const picks = $("kind-picks");

  function currentKind() {
    return parseNote(input.value, chosenKind).kind;
  }

  function showKind() {
    const kind = currentKind();
    chip.textContent = kindLabel(kind);
    chip.dataset.kind = kind;
    picks.querySelectorAll("button").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.dataset.kind === kind));
    });
    const length = noteLength(input.value);
    const count = $("composer-count");
    count.textContent = length > COUNTER_FROM ? `${length.toLocaleString("en")} / ${MAX_NOTE_LENGTH.toLocaleString("en")} characters` : "";
    count.classList.toggle("is-over", length > MAX_NOTE_LENGTH);
  }

  function chooseKind(kind) {
    chosenKind = kind;
    // A typed prefix would overrule the choice: drop it.
    const parsed = parseNote(input.value, kind);
    if (parsed.prefixed) input.value = parsed.text;
    showKind();
  }

  function showLink() {
    if (!linkLine) return;
    linkLine.replaceChildren();
    const question = store.question(store.state.current);
    if (!question) {
      linkLine.append(h("span", { class: "muted" }, "Not linked to a question"));
      return;
    }
    linkLine.append(
      h("span", { class: "muted" }, "On: "),
      h("span", { class: "composer-link-text", title: question.text, dir: "auto" }, question.text),
      h(
        "button",
        {
          type: "button",
          class: "linklike composer-unlink",
          onclick: () => {
            store.setCurrent(null);
            input.focus();
          },
        },
        "unlink",
      ),
    );
  }

  function submit() {
    const parsed = parseNote(input.value, chosenKind);
    const text = parsed.text.trim();
    const problem = problemWith(text);
    if (problem === "empty") {
      say(error, "");
      return;
    }
    if (problem) {
      say(error, problem);
      input.setAttribute("aria-invalid", "true");
      return;
    }
    say(error, "");
    input.removeAttribute("aria-invalid");
    const body = app.newNoteBody(parsed.kind, text);
    app.saveNote(body);
    input.value = "";
    chosenKind = NoteKind.NOTE;
    autoGrow(input);
    showKind();
    announce(`${kindLabel(body.kind)} saved${navigator.onLine ? "" : " on this computer; it is sent when the connection returns"}.`);
    if (body.kind === NoteKind.SOLUTION_REQUEST && app.ladder) app.ladder.open(body.id);
  }

  if (form) {
    for (const [index, entry] of kinds.entries()) {
      picks.append(
        h(
          "button",
          {
            type: "button",
            class: `kind-pick kind-pick--${entry.kind}`,
            dataset: { kind: entry.kind },
            "aria-pressed": String(entry.kind === NoteKind.NOTE),
            "aria-keyshortcuts": `Alt+${index + 1}`,
            title: `${entry.label}: Alt+${index + 1}${entry.prefix ? ` or start with “${entry.prefix}: ”` : ""}`,
            onclick: () => {
              chooseKind(entry.kind);
              input.focus();
            },
          },
          entry.label,
        ),
      );
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit();
    });
    input.addEventListener("input", () => {
      autoGrow(input);
      showKind();
      const problem = problemWith(parseNote(input.value, chosenKind).text.trim());
      if (!error.hidden && (!problem || problem === "empty")) {
        say(error, "");
        input.removeAttribute("aria-invalid");
      }
    });
    input.addEventListener("keydown", (event) => {
      if (event.isComposing) return;
      if (event.key === "Enter" && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        submit();
        return;
      }
      const digit = /^Digit([1-7])$/.exec(event.code);
      if (event.altKey && !event.ctrlKey && !event.metaKey && digit) {
        event.preventDefault();
        chooseKind(kinds[Number(digit[1]) - 1].kind);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        if (currentKind() !== NoteKind.NOTE && !parseNote(input.value).prefixed) chooseKind(NoteKind.NOTE);
        else app.focusCurrentQuestion();
        return;
      }
      if (event.key === "ArrowUp" && !input.value) {
        const mine = newestFirst([...app.view().values()].filter((note) => isMine(note) && !note.deleted));
        if (mine.length) {
          event.preventDefault();
          startEditing(mine[0].id);
        }
      }
    });
    store.on("current", showLink);
    showLink();
    showKind();
  }

  app.focusComposer = () => {
    if (!input) return false;
    input.focus();
    return true;
  };

  // The list ---------------------------------------------------------------------------------

  function questionLabel(questionId) {
    const question = store.question(questionId);
    return question ? question.text : null;
  }

  function noteBodyOf(note) {
    return {
      id: note.id,
      kind: note.kind,
      text: note.text,
      elapsed_seconds: note.elapsed_seconds,
      question: note.question ?? null,
      ladder_of: note.ladder_of ?? null,
    };
  }

  function remove(note) {
    outbox.add({ type: "delete", target: note.id, url: urls.noteDelete(note.id), body: {} });
    lastDeleted = note;
    render();
    if (input) input.focus();
    showToast(`${kindLabel(note.kind)} deleted.`, { action: { label: "Undo", key: "u", run: () => restore(note) } });
  }

  function restore(note) {
    outbox.add({ type: "restore", target: note.id, url: urls.noteRestore(note.id), body: {} });
    render();
    announce(`${kindLabel(note.kind)} restored.`);
    const li = items.get(note.id);
    if (li) li.querySelector("button")?.focus();
  }

  function discard(note) {
    const op = outbox.all().find((candidate) => candidate.opId === note.opId);
    outbox.discard(note.opId);
    render();
    if (op) {
      showToast("Unsaved note discarded.", {
        action: { label: "Undo", key: "u", run: () => { outbox.add(op); render(); } },
      });
    }
  }

  app.undoDelete = () => {
    if (lastDeleted) restore(lastDeleted);
    lastDeleted = null;
  };

  function actions(note) {
    if (!canChange(note)) return null;
    const button = (action, label, run, extra = "") =>
      h("button", { type: "button", class: `note-act${extra}`, dataset: { action }, onclick: run }, label, h("span", { class: "visually-hidden" }, ` ${kindLabel(note.kind)} at ${stamp(note.elapsed_seconds)}`));
    if (note.error) {
      return h(
        "div",
        { class: "note-actions note-actions--fix" },
        h("button", { type: "button", class: "btn btn--small", dataset: { action: "edit" }, onclick: () => startEditing(note.id) }, "Fix and save again"),
        h("button", { type: "button", class: "btn btn--danger btn--small", dataset: { action: "discard" }, onclick: () => discard(note) }, "Discard"),
      );
    }
    return h(
      "span",
      { class: "note-acts" },
      note.kind === NoteKind.SOLUTION_REQUEST && app.ladder ? button("ladder", "Why?", () => app.ladder.open(note.id)) : null,
      button("edit", "Edit", () => startEditing(note.id)),
      button("delete", "Delete", () => remove(note), " note-act--danger"),
    );
  }

  function noteContent(note, children) {
    const state = note.error
      ? h("span", { class: "note-state note-state--bad" }, `Not saved: ${note.error.message}`)
      : note.pending
        ? h("span", { class: "note-state" }, "Waiting to save…")
        : null;
    const text = h(note.kind === NoteKind.QUOTE ? "q" : "p", { class: "note-text prewrap", dir: "auto", id: `note-text-${note.id}` }, note.text);
    const more = collapsible(text, {
      expanded: opened.has(note.id),
      onToggle: (open) => (open ? opened.add(note.id) : opened.delete(note.id)),
    });
    more.dataset.action = "more";
    const question = note.question !== null && note.question !== undefined ? questionLabel(note.question) : null;
    return [
      h(
        "div",
        { class: "note-line" },
        h("span", { class: "note-time tabular", title: "Minutes:seconds into the interview" }, stamp(note.elapsed_seconds)),
        h("span", { class: `badge badge--note-${note.kind}` }, note.kind_label || kindLabel(note.kind)),
        h("span", { class: "note-author", dir: "auto" }, isMine(note) ? "You" : (note.author && note.author.name) || "Someone no longer in Heard"),
        state,
        note.error ? null : actions(note),
      ),
      text,
      more,
      question
        ? h("p", { class: "note-question" }, "On ", h("button", { type: "button", class: "linklike", onclick: () => app.focusQuestion(note.question) }, "“", h("span", { dir: "auto" }, question), "”"))
        : null,
      note.error ? actions(note) : null,
      children.length ? h("ol", { class: "note-ladder", "aria-label": "Why-ladder" }, children) : null,
    ];
  }

  function signature(note, children) {
    return JSON.stringify([app.writable(), note.kind, note.text, note.question, note.pending, note.error, note.author && note.author.name, store.question(note.question) ? 1 : 0, children.map((child) => signature(child, []))]);
  }

  function draw(li, note, children) {
    const sig = signature(note, children);
    if (li.dataset.sig === sig) return;
    const focused = li.contains(document.activeElement) ? document.activeElement.dataset.action : null;
    li.dataset.sig = sig;
    li.className = `note note--${note.kind}${note.pending ? " is-pending" : ""}${note.error ? " is-failed" : ""}${isMine(note) ? " is-mine" : ""}`;
    li.replaceChildren(...noteContent(note, children.map((child) => ladderStep(child))).filter(Boolean));
    if (focused) li.querySelector(`[data-action="${focused}"]`)?.focus();
  }

  function ladderStep(note) {
    const li = h("li", { class: `note-step note-step--${note.kind}${note.pending ? " is-pending" : ""}`, dataset: { id: note.id } });
    li.append(
      h("span", { class: "note-time tabular" }, stamp(note.elapsed_seconds)),
      h("span", { class: `badge badge--note-${note.kind}` }, note.kind === NoteKind.PAIN ? "Root pain" : kindLabel(NoteKind.WHY)),
      h("span", { class: "prewrap note-step-text", dir: "auto" }, note.text),
    );
    if (note.error) li.append(h("span", { class: "note-state note-state--bad" }, ` Not saved: ${note.error.message}`));
    if (canChange(note) && !note.error) {
      li.append(h("button", { type: "button", class: "linklike note-step-delete", onclick: () => remove(note) }, "Delete", h("span", { class: "visually-hidden" }, " “", h("span", { dir: "auto" }, note.text.slice(0, 40)), "”")));
    }
    if (note.error && canChange(note)) {
      li.append(h("button", { type: "button", class: "linklike", onclick: () => discard(note) }, "Discard"));
    }
    return li;
  }

  function render() {
    const view = app.view();
    const visible = [...view.values()].filter((note) => !note.deleted);
    const byParent = new Map();
    const top = [];
    for (const note of visible) {
      const parent = note.ladder_of && view.get(note.ladder_of);
      if (parent && !parent.deleted) {
        if (!byParent.has(note.ladder_of)) byParent.set(note.ladder_of, []);
        byParent.get(note.ladder_of).push(note);
      } else top.push(note);
    }
    const ordered = newestFirst(top);
    const wanted = new Set(ordered.map((note) => note.id));
    for (const [id, li] of items) {
      if (!wanted.has(id)) {
        li.remove();
        items.delete(id);
        editing.delete(id);
      }
    }
    ordered.forEach((note, index) => {
      let li = items.get(note.id);
      if (!li) {
        li = h("li", { dataset: { id: note.id } });
        items.set(note.id, li);
      }
      if (!editing.has(note.id)) {
        const children = [...(byParent.get(note.id) || [])].sort((a, b) => a.elapsed_seconds - b.elapsed_seconds || String(a.created_at).localeCompare(String(b.created_at)));
        draw(li, note, children);
      }
      const here = list.children[index];
      if (here !== li) list.insertBefore(li, here || null);
    });
    $("notes-empty").hidden = ordered.length > 0;
    $("notes-count").textContent = visible.length ? `${visible.length} so far` : "";
    renderRefused();
    store.emit("view");
  }

  // Editing a saved note ---------------------------------------------------------------------

  function questionSelect(selected) {
    const select = h("select", { class: "edit-question" }, h("option", { value: "" }, "No question"));
    for (const section of store.state.sections) {
      const group = h("optgroup", { label: section.title });
      for (const question of section.questions) {
        const label = question.text.length > 90 ? `${question.text.slice(0, 89)}…` : question.text;
        group.append(h("option", { value: String(question.id), selected: String(question.id) === String(selected), dir: "auto" }, label));
      }
      select.append(group);
    }
    return select;
  }

  function startEditing(id) {
    const note = app.view().get(id);
    const li = items.get(id);
    if (!note || !li || !canChange(note)) return;
    editing.add(id);
    const area = h("textarea", { class: "edit-text", rows: 2, "aria-label": "Note text", dir: "auto" });
    area.value = note.text;
    const kindSelect = h("select", { class: "edit-kind", "aria-label": "Kind" });
    const choices = note.kind === NoteKind.WHY ? [{ kind: NoteKind.WHY, label: kindLabel(NoteKind.WHY) }] : kinds;
    for (const entry of choices) {
      kindSelect.append(h("option", { value: entry.kind, selected: entry.kind === note.kind }, entry.label));
    }
    const linked = questionSelect(note.question);
    const problem = h("p", { class: "composer-error", role: "alert", hidden: true });
    const save = () => {
      const text = area.value.trim();
      const issue = problemWith(text);
      if (issue) {
        say(problem, issue === "empty" ? "A note needs some text. To remove it, use Delete." : issue);
        area.focus();
        return;
      }
      const body = { ...noteBodyOf(note), text, kind: kindSelect.value, question: linked.value ? store.question(linked.value).id : null };
      editing.delete(id);
      if (note.error && note.opId) {
        if (note.error.status === 409) {
          // The id is taken (another person's note, another interview): save it under a new one.
          outbox.discard(note.opId);
          app.saveNote({ ...body, id: newNoteId() });
        } else outbox.retry(note.opId, body);
      } else app.saveNote(body);
      li.dataset.sig = "";
      render();
      (items.get(id) || items.get(body.id))?.querySelector('[data-action="edit"]')?.focus();
      announce("Note saved.");
    };
    const cancel = () => {
      editing.delete(id);
      li.dataset.sig = "";
      render();
      li.querySelector('[data-action="edit"]')?.focus();
    };
    area.addEventListener("keydown", (event) => {
      if (event.isComposing) return;
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        save();
      } else if (event.key === "Escape") {
        event.preventDefault();
        cancel();
      }
    });
    area.addEventListener("input", () => autoGrow(area));
    li.replaceChildren(
      h(
        "div",
        { class: "note-edit", role: "group", "aria-label": "Edit the note" },
        h("div", { class: "note-line" }, h("span", { class: "note-time tabular" }, stamp(note.elapsed_seconds)), note.error ? h("span", { class: "note-state note-state--bad" }, `Not saved: ${note.error.message}`) : null),
        area,
        problem,
        h("div", { class: "note-edit-fields" }, h("label", {}, "Kind ", kindSelect), h("label", {}, "Question ", linked)),
        h(
          "div",
          { class: "note-actions" },
          h("button", { type: "button", class: "btn btn--small", onclick: save }, "Save ", h("kbd", {}, "Enter")),
          h("button", { type: "button", class: "btn btn--secondary btn--small", onclick: cancel }, "Cancel ", h("kbd", {}, "Esc")),
        ),
      ),
    );
    autoGrow(area);
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  }

  // Changes the server refused that are not a visible note (a delete, a question state) -------

  function renderRefused() {
    const box = $("refused");
    const refusedList = $("refused-list");
    const notes = app.view();
    const shown = (op) => {
      const note = notes.get(op.target);
      return op.type === "note" && note && note.opId === op.opId;
    };
    const others = outbox.failed().filter((op) => !shown(op));
    refusedList.replaceChildren(
      ...others.map((op) => {
        const dismiss = h("button", { type: "button", class: "linklike", onclick: () => { outbox.discard(op.opId); render(); } }, "Dismiss");
        if (op.type === "note") {
          const again = h("button", { type: "button", class: "linklike", onclick: () => { outbox.discard(op.opId); app.saveNote({ ...op.body, id: newNoteId() }); } }, "Save as a new note");
          return h("li", {}, "A note: ", h("q", { class: "prewrap", dir: "auto" }, op.body.text), ` — ${op.error.message} `, again, " · ", dismiss);
        }
        const what = op.type === "question" ? `Question state “${op.body.status}”` : op.type === "delete" ? "Deleting a note" : "Restoring a note";
        return h("li", {}, `${what}: ${op.error.message} `, dismiss);
      }),
    );
    box.hidden = others.length === 0;
  }

  outbox.subscribe(() => render());
  store.on("notes", render);
  store.on("interview", render);
  render();
  return { render };
}
