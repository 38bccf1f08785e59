// Schedule form: offer only the chosen study's guides, and show the length a guide plans.
// The server checks all of this again; without this script every guide is listed.
(() => {
  const form = document.querySelector("form.schedule-form");
  if (!form) return;
  const study = form.querySelector("#id_study");
  const guide = form.querySelector("#id_guide");
  const length = form.querySelector("#id_length_minutes");
  const mode = form.querySelector("#id_mode");
  const place = form.querySelector("#id_location");
  const defaultLength = form.getAttribute("data-default-length") || "45";
  const placeHints = {
    video: "https://meet.example.com/abc-defg-hij",
    in_person: "Client Co, 5 Main Street, 2nd floor",
    phone: "+1 555 0100",
  };

  function showStudyGuides() {
    if (!study || !guide) return;
    const chosen = study.value;
    let visible = [];
    guide.querySelectorAll("option[data-study]").forEach((option) => {
      const fits = !chosen || option.getAttribute("data-study") === chosen;
      option.hidden = !fits;
      option.disabled = !fits;
      if (fits) visible.push(option);
    });
    guide.querySelectorAll("optgroup").forEach((group) => {
      group.hidden = !group.querySelector("option:not([hidden])");
    });
    const selected = guide.selectedOptions[0];
    if (selected && selected.disabled) guide.value = "";
    if (chosen && !guide.value && visible.length === 1) guide.value = visible[0].value;
    showLength();
  }

  function showLength() {
    if (!guide || !length) return;
    const selected = guide.selectedOptions[0];
    const minutes = selected && selected.getAttribute("data-minutes");
    length.placeholder = minutes || defaultLength;
  }

  function showPlaceHint() {
    if (mode && place) place.placeholder = placeHints[mode.value] || "";
  }

  // A new interview starts in the browser's own time zone, when the list offers it.
  function preferBrowserZone() {
    const zone = form.querySelector("#id_time_zone");
    if (!zone || form.getAttribute("data-new") !== "true") return;
    const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (local && Array.from(zone.options).some((option) => option.value === local)) zone.value = local;
  }

  study && study.addEventListener("change", showStudyGuides);
  guide && guide.addEventListener("change", showLength);
  mode && mode.addEventListener("change", showPlaceHint);
  showStudyGuides();
  showPlaceHint();
  preferBrowserZone();
})();
