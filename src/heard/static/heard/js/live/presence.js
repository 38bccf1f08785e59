// Who has the live page open, as the event feed reports it.

import { $ } from "./dom.js";

export function setupPresence(app) {
  const { store } = app;
  function render() {
    const people = store.state.presence || [];
    const here = new Set(people.map((person) => String(person.id)));
    document.querySelectorAll(".presence-dot[data-user]").forEach((dot) => {
      const on = dot.dataset.user !== "" && here.has(dot.dataset.user);
      dot.classList.toggle("is-here", on);
      dot.title = on ? "Connected now" : "Not connected";
    });
    const names = people.map((person) => (String(person.id) === String(store.state.me.id) ? `${person.name} (you)` : person.name));
    $("presence").textContent = names.length ? `Connected now: ${names.join(", ")}` : "";
  }
  store.on("presence", render);
  render();
}
