// The wrap-up page sends what the live page left in this browser's outbox (a note typed while
// the connection was down), and shows the text of anything Heard refused so it can be copied.

import { call, setCsrfFallback } from "./api.js";
import { h } from "./dom.js";
import { outboxKey } from "./keys.js";
import { Outbox } from "./outbox.js";

function boot() {
  const box = document.getElementById("wrapup-outbox");
  if (!box) return;
  setCsrfFallback(box.dataset.csrf);
  const outbox = new Outbox({
    key: outboxKey(box.dataset.interview, box.dataset.user),
    send: (op) => call("POST", op.url, op.body),
  });
  if (!outbox.all().length) return;
  let sentSome = false;
  outbox.onDone(() => {
    sentSome = true;
  });

  function render() {
    const pending = outbox.pending();
    const failed = outbox.failed().filter((op) => op.type === "note");
    if (!pending.length && !failed.length) {
      if (sentSome) window.location.reload();
      box.hidden = true;
      return;
    }
    box.hidden = false;
    const parts = [
      pending.length
        ? h("p", {}, `${pending.length} change${pending.length === 1 ? "" : "s"} typed in this browser ${pending.length === 1 ? "is" : "are"} still on the way to Heard…`)
        : null,
      failed.length
        ? h(
            "div",
            {},
            h("p", {}, "Heard did not take these notes (the interview had ended, or the note was refused). Copy what you need, then discard them:"),
            h(
              "ul",
              {},
              failed.map((op) =>
                h(
                  "li",
                  {},
                  h("span", { class: "prewrap", id: `unsaved-${op.opId}`, dir: "auto" }, op.body.text),
                  h("span", { class: "muted small" }, ` — ${op.error.message} `),
                  h("button", { type: "button", class: "btn btn--secondary btn--small", "data-copy": `unsaved-${op.opId}` }, "Copy"),
                  " ",
                  h("button", { type: "button", class: "btn btn--danger btn--small", onclick: () => outbox.discard(op.opId) }, "Discard"),
                ),
              ),
            ),
          )
        : null,
    ];
    box.replaceChildren(...parts.filter(Boolean));
  }

  outbox.subscribe(render);
  window.addEventListener("online", () => outbox.flush(true));
  render();
  outbox.flush(true);
}

boot();
