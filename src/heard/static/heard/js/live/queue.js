// Questions queued by guests and the notetaker for the team's reserve at the end of the call.

import { call, errorMessage } from "./api.js";
import { $, h, say } from "./dom.js";
import { announce } from "./toast.js";

export function setupQueue(app) {
  const { store, urls } = app;
  const list = $("queue-list");
  const form = $("queue-form");
  const input = $("queue-input");
  const problem = $("queue-error");

  function render() {
    const items = [...store.state.queued.values()].sort((a, b) => Number(a.asked) - Number(b.asked) || Number(a.id) - Number(b.id));
    const focusedId = list.contains(document.activeElement) ? document.activeElement.dataset.id : null;
    list.replaceChildren(
      ...items.map((item) =>
        h(
          "li",
          { class: item.asked ? "is-asked" : "" },
          h("p", { class: "queue-text prewrap", dir: "auto" }, item.text),
          h(
            "p",
            { class: "queue-meta small" },
            h("span", { class: "muted", dir: "auto" }, item.author || ""),
            item.asked
              ? h("span", { class: "queue-asked" }, "Asked")
              : app.writable()
                ? h(
                    "button",
                    { type: "button", class: "btn btn--secondary btn--small", dataset: { id: String(item.id) }, onclick: () => markAsked(item) },
                    "Mark asked",
                    h("span", { class: "visually-hidden" }, ": ", h("span", { dir: "auto" }, item.text.slice(0, 60))),
                  )
                : null,
          ),
        ),
      ),
    );
    $("queue-empty").hidden = items.length > 0;
    const waiting = items.filter((item) => !item.asked).length;
    $("queue-h").dataset.count = waiting ? String(waiting) : "";
    if (focusedId) {
      const again = list.querySelector(`button[data-id="${CSS.escape(focusedId)}"]`);
      (again || input || list).focus();
    }
  }

  async function markAsked(item) {
    const answer = await call("POST", urls.queueAsked(item.id), {});
    if (answer.status === 200 && answer.data) {
      store.setQueued(answer.data.queued);
      announce("Marked as asked.");
    } else say(problem, errorMessage(answer));
  }

  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      // Sent as it is; the box is free for the next question at once.
      input.value = "";
      say(problem, "");
      const answer = await call("POST", urls.queue, { text });
      if (answer.status === 200 && answer.data) {
        store.setQueued(answer.data.queued);
        announce("Question queued for the team's reserve.");
      } else {
        if (!input.value) input.value = text;
        say(problem, `Not queued: ${errorMessage(answer)}${input.value === text ? " Your question is back in the box." : ""}`);
      }
    });
  }
  store.on("queue", render);
  store.on("interview", render);
  render();
}
