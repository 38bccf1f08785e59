// Reorder a list by keyboard (arrow keys on an item's handle) or by dragging it.
// Markup: <ol class="sortable" data-reorder-url="…"> <li data-id="…"> <button class="drag-handle">
// The new order is posted as order=<id>&order=<id>…; without JavaScript the Up/Down forms work.
(function () {
  const live = document.createElement("div");
  live.className = "visually-hidden";
  live.setAttribute("aria-live", "assertive");
  document.addEventListener("DOMContentLoaded", () => document.body.appendChild(live));

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // Keep each item's no-JavaScript Up/Down buttons true to its new place.
  function refreshMoveButtons(list) {
    const items = Array.from(list.querySelectorAll(":scope > li[data-id]"));
    items.forEach((li, index) => {
      li.querySelectorAll("input[name=direction]").forEach((input) => {
        if (input.closest("li[data-id]") !== li) return;
        const button = input.form && input.form.querySelector("button");
        if (!button) return;
        button.disabled = input.value === "up" ? index === 0 : index === items.length - 1;
      });
    });
  }

  async function save(list) {
    refreshMoveButtons(list);
    const body = new URLSearchParams();
    list.querySelectorAll(":scope > li[data-id]").forEach((li) => body.append("order", li.dataset.id));
    list.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(list.dataset.reorderUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
        body,
      });
      if (!response.ok) throw new Error(await response.text());
      list.dispatchEvent(new CustomEvent("heard:reordered", { bubbles: true }));
    } catch (error) {
      live.textContent = "The new order could not be saved. Reload the page and try again.";
      window.alert("The new order could not be saved. Reload the page and try again.");
    } finally {
      list.removeAttribute("aria-busy");
    }
  }

  function label(li) {
    return li.dataset.label || li.textContent.trim().slice(0, 60);
  }

  function announce(list, li) {
    const items = Array.from(list.querySelectorAll(":scope > li[data-id]"));
    live.textContent = `${label(li)}: position ${items.indexOf(li) + 1} of ${items.length}`;
  }

  document.addEventListener("keydown", (event) => {
    const handle = event.target.closest(".sortable .drag-handle");
    if (!handle || !["ArrowUp", "ArrowDown"].includes(event.key)) return;
    const li = handle.closest("li[data-id]");
    const list = li.parentElement;
    event.preventDefault();
    const sibling = event.key === "ArrowUp" ? li.previousElementSibling : li.nextElementSibling;
    if (!sibling || !sibling.matches("li[data-id]")) return;
    if (event.key === "ArrowUp") list.insertBefore(li, sibling);
    else list.insertBefore(sibling, li);
    handle.focus();
    announce(list, li);
    save(list);
  });

  let dragged = null;
  document.addEventListener("dragstart", (event) => {
    const li = event.target.closest && event.target.closest(".sortable > li[data-id]");
    if (!li) return;
    dragged = li;
    li.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", li.dataset.id);
  });
  document.addEventListener("dragover", (event) => {
    if (!dragged) return;
    const over = event.target.closest && event.target.closest(".sortable > li[data-id]");
    if (!over || over === dragged || over.parentElement !== dragged.parentElement) return;
    event.preventDefault();
    const rect = over.getBoundingClientRect();
    const after = event.clientY > rect.top + rect.height / 2;
    over.parentElement.insertBefore(dragged, after ? over.nextElementSibling : over);
  });
  document.addEventListener("drop", (event) => {
    if (dragged) event.preventDefault();
  });
  document.addEventListener("dragend", () => {
    if (!dragged) return;
    const list = dragged.parentElement;
    dragged.classList.remove("dragging");
    announce(list, dragged);
    dragged = null;
    save(list);
  });
})();
