// One quiet message at a time at the bottom of the screen, with an optional action (Undo).
// It never takes the focus; "u" runs its action while it is shown.

import { $, h } from "./dom.js";

let current = null;

export function showToast(message, { action, timeout = 8000 } = {}) {
  const region = $("toasts");
  if (!region) return;
  dismissToast();
  const close = h("button", { type: "button", class: "toast-close", "aria-label": "Dismiss" }, "×");
  const actionButton = action
    ? h("button", { type: "button", class: "btn btn--secondary btn--small" }, action.label)
    : null;
  if (actionButton && action.key) {
    actionButton.append(" ", h("kbd", {}, action.key));
  }
  const element = h("div", { class: "toast" }, h("span", { class: "toast-text" }, message), actionButton, close);
  const entry = { element, action, timer: null };
  if (actionButton) {
    actionButton.addEventListener("click", () => {
      dismissToast();
      action.run();
    });
  }
  close.addEventListener("click", () => dismissToast());
  entry.timer = setTimeout(() => {
    if (current === entry) dismissToast();
  }, timeout);
  region.appendChild(element);
  current = entry;
}

export function dismissToast() {
  if (!current) return;
  clearTimeout(current.timer);
  current.element.remove();
  current = null;
}

/** Run the shown toast's action (the "u" key); false when there is none. */
export function runToastAction() {
  if (!current || !current.action) return false;
  const { action } = current;
  dismissToast();
  action.run();
  return true;
}

/** A sentence for screen readers only. */
export function announce(text) {
  const element = $("announcer");
  if (!element) return;
  element.textContent = "";
  // A fresh text node is read even when the sentence repeats.
  setTimeout(() => {
    element.textContent = text;
  }, 50);
}
