// Schedule form: offer only the chosen study's guides, and show the length a guide plans.
// The server checks all of this again; without this script, "Show its guides" asks for them.
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

  // The server lists only the chosen study's guides: ask it for another study's.
  let asked = 0;
  async function showStudyGuides() {
    if (!study || !guide) return;
    const url = form.getAttribute("data-guide-options");
    const ask = ++asked;
    if (!study.value || !url) {
      guide.replaceChildren(new Option("Pick a study first", ""));
      showLength();
      return;
    }
    try {
      const answer = await fetch(`${url}?study=${encodeURIComponent(study.value)}`, {
        headers: { Accept: "text/html" },
        credentials: "same-origin",
      });
      if (!answer.ok || ask !== asked) return;
      const html = await answer.text();
      const fresh = new DOMParser().parseFromString(html, "text/html").querySelector("select");
      if (!fresh || ask !== asked) return;
      guide.replaceChildren(...fresh.children);
      const offered = Array.from(guide.options).filter((option) => option.value);
      if (offered.length === 1) guide.value = offered[0].value;
    } catch (error) {
      return; // the guides stay as they were; the server checks the choice again
    }
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
  showLength();
  showPlaceHint();
  preferBrowserZone();
})();
