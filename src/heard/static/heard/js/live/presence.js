// Who has the live page open, as the event feed reports it.

import { $, h } from "./dom.js";

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
    // Each name in the direction of its own script, inside the English line.
    const names = people.flatMap((person, index) => [
      index ? ", " : "",
      h("span", { dir: "auto" }, person.name),
      String(person.id) === String(store.state.me.id) ? " (you)" : "",
    ]);
    $("presence").replaceChildren(...(names.length ? ["Connected now: ", ...names] : []));
  }
  store.on("presence", render);
  render();
}
