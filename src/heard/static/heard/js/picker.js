// Participant picker: Enter in its search box searches at once instead of sending the form,
// the Down arrow goes from the box to the people found (the arrows then move between them),
// and someone moving through the list keeps their place when new matches arrive.
// Without this script the box's Search button does the same by reloading the page.
document.addEventListener("keydown", (event) => {
  const box = event.target.closest("[data-picker] input[type=search]");
  if (!box) return;
  if (event.key === "Enter") {
    event.preventDefault();
    if (window.htmx) window.htmx.trigger(box, "search");
  } else if (event.key === "ArrowDown") {
    const picker = box.closest("[data-picker]");
    const target =
      picker.querySelector("input[type=radio]:checked") || picker.querySelector("input[type=radio]");
    if (target) {
      event.preventDefault();
      target.focus();
    }
  }
});

const pickerOf = (element) => (element && element.closest ? element.closest("[data-picker]") : null);
const chosenIn = (picker) => {
  const chosen = picker.querySelector("input[type=radio]:checked");
  return chosen ? chosen.value : "";
};

// Each search sends the person chosen so far, and the answer lists them chosen.
document.addEventListener("htmx:configRequest", (event) => {
  const picker = pickerOf(event.detail.elt);
  if (picker) picker.dataset.sentChoice = chosenIn(picker);
});

let focusedChoice = null;
document.addEventListener("htmx:beforeSwap", (event) => {
  const picker = pickerOf(event.detail.target);
  if (!picker) return;
  if (chosenIn(picker) !== (picker.dataset.sentChoice || "")) {
    // Someone was picked while these matches were on their way: they would undo the pick.
    // Ask again, with the pick.
    event.detail.shouldSwap = false;
    window.htmx.trigger(picker.querySelector("input[type=search]"), "search");
    return;
  }
  const active = document.activeElement;
  focusedChoice = event.detail.target.contains(active) ? active.value : null;
});
document.addEventListener("htmx:afterSwap", (event) => {
  if (focusedChoice === null || !pickerOf(event.detail.target)) return;
  const results = event.detail.target;
  const again =
    results.querySelector(`input[type=radio][value="${CSS.escape(focusedChoice)}"]`) ||
    results.querySelector("input[type=radio]:checked") ||
    results.querySelector("input[type=radio]");
  focusedChoice = null;
  if (again) again.focus();
});
