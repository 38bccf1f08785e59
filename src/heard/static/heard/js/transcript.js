// The transcript's page: the lines beside the recording's player. A line plays from its
// time (click, or Enter on its time); the playing line is highlighted and kept in view until
// the reader scrolls away ("Follow the playing line" brings it back); the speed; a search
// that marks the matching lines (Enter: the next one); and keys: k or Space play and pause,
// j and l go back and forward 5 seconds. Without this script the page is the transcript
// with its times, and its controls stay hidden.
//
// Researchers highlight words: select them in the lines, and a "Highlight" button beside
// them (or the h key) opens a dialog for the kind and the validation points; a highlight's
// time plays it.
//
// A 2-hour transcript has thousands of lines: the start times are read once into an array,
// and each tick of the player finds its line by binary search.

const audio = document.getElementById("transcript-audio");
const searchBox = document.getElementById("transcript-search");
const searchCount = document.getElementById("transcript-search-count");
const followButton = document.getElementById("transcript-follow");
const speed = document.getElementById("transcript-speed");

let starts = []; // start of each timed line, in ms, in order
let ids = []; // the id of each of those lines
let playing = -1; // index in `starts` of the highlighted line
let following = true;
let matches = []; // ids of the lines the search found
let matchAt = -1;

function index() {
  starts = [];
  ids = [];
  for (const line of document.querySelectorAll(".transcript-line[data-start]")) {
    starts.push(Number(line.dataset.start));
    ids.push(line.id);
  }
  playing = -1;
}

/** The last line starting at or before `ms` (-1 before the first). */
function lineAt(ms) {
  let low = 0;
  let high = starts.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (starts[middle] <= ms) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

function highlight(force = false) {
  const at = lineAt(audio.currentTime * 1000);
  if (at === playing && !force) return;
  const before = playing >= 0 ? document.getElementById(ids[playing]) : null;
  if (before) {
    before.classList.remove("is-playing");
    before.removeAttribute("aria-current");
  }
  playing = at;
  const line = at >= 0 ? document.getElementById(ids[at]) : null;
  if (!line) return;
  line.classList.add("is-playing");
  line.setAttribute("aria-current", "true");
  if (following) line.scrollIntoView({ block: "center" });
}

function playFrom(line) {
  audio.currentTime = Number(line.dataset.start) / 1000;
  following = true;
  followButton.hidden = true;
  audio.play().catch(() => {}); // a browser may refuse to play before a gesture: the time moved
  highlight(true);
}

function stopFollowing() {
  if (audio.paused || !following) return;
  following = false;
  followButton.hidden = false;
}

function search() {
  const query = searchBox.value.trim().toLocaleLowerCase();
  for (const id of matches) document.getElementById(id)?.classList.remove("is-match");
  matches = [];
  matchAt = -1;
  if (query) {
    for (const text of document.querySelectorAll(".transcript-line .transcript-text")) {
      if (text.textContent.toLocaleLowerCase().includes(query)) {
        const line = text.closest(".transcript-line");
        line.classList.add("is-match");
        matches.push(line.id);
      }
    }
  }
  searchCount.textContent = query
    ? `${matches.length} line${matches.length === 1 ? "" : "s"} found`
    : "";
}

function nextMatch(step) {
  if (!matches.length) return;
  matchAt = (matchAt + step + matches.length) % matches.length;
  const line = document.getElementById(matches[matchAt]);
  for (const id of matches) document.getElementById(id)?.classList.remove("is-current-match");
  line.classList.add("is-current-match");
  line.scrollIntoView({ block: "center" });
  following = false;
  if (audio && !audio.paused) followButton.hidden = false;
  searchCount.textContent = `${matchAt + 1} of ${matches.length} lines found`;
}

function typing(target) {
  return target.closest("input, textarea, select, [contenteditable]") !== null;
}

for (const hidden of document.querySelectorAll("[data-needs-script]")) hidden.hidden = false;
if (followButton) followButton.hidden = true;
index();

if (searchBox) {
  let timer = 0;
  searchBox.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
  searchBox.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    clearTimeout(timer);
    if (!matches.length) search();
    nextMatch(event.shiftKey ? -1 : 1);
  });
}

if (audio) {
  document.addEventListener("click", (event) => {
    const line = event.target.closest(".transcript-line[data-start]");
    if (!line || line.classList.contains("transcript-line--editing")) return;
    if (event.target.closest("a, form, details") || getSelection().toString()) return;
    playFrom(line);
  });
  audio.addEventListener("timeupdate", () => highlight());
  audio.addEventListener("seeked", () => highlight());
  speed.addEventListener("change", () => {
    audio.playbackRate = Number(speed.value);
  });
  followButton.addEventListener("click", () => {
    following = true;
    followButton.hidden = true;
    highlight(true);
  });
  // The reader scrolling (not the page following the line) stops the following.
  for (const kind of ["wheel", "touchmove"]) {
    window.addEventListener(kind, stopFollowing, { passive: true });
  }
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    if (["PageUp", "PageDown", "ArrowUp", "ArrowDown", "Home", "End"].includes(event.key)) {
      stopFollowing();
      return;
    }
    const onButton = event.target.closest("button, a, summary");
    if (event.key === "k" || (event.key === " " && !onButton)) {
      event.preventDefault();
      if (audio.paused) audio.play().catch(() => {});
      else audio.pause();
    } else if (event.key === "j" || event.key === "l") {
      event.preventDefault();
      const to = audio.currentTime + (event.key === "j" ? -5 : 5);
      audio.currentTime = Math.max(0, Math.min(to, audio.duration || to));
    }
  });
  // Opened at a line or a highlight (`#segment-12`, `#highlight-…`: a search result, a
  // link): the player waits at its time, and the line is the playing one; Space plays it.
  const target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  const at = target?.closest("[data-start]") ?? target?.querySelector("[data-start]");
  if (at) {
    const seek = () => {
      audio.currentTime = Number(at.dataset.start) / 1000;
      highlight(true);
      target.scrollIntoView({ block: "center" });
    };
    if (audio.readyState >= 1) seek();
    else audio.addEventListener("loadedmetadata", seek, { once: true });
  }
  // A line edited in place, or the lines of a transcription still under way, are new
  // elements: read the lines again.
  document.body.addEventListener("htmx:afterSettle", () => {
    index();
    highlight(true);
  });
}

// Highlighting -------------------------------------------------------------------------------

const selectionTools = document.getElementById("selection-tools");
const selectionButton = document.getElementById("highlight-selection");
const redactButton = document.getElementById("redact-selection");
const dialog = document.getElementById("highlight-dialog");

/** The transcript line a node of the selection is in, or the nearest one before (`back`)
 * or after it when the node sits between lines (a note, a highlight). */
function lineNear(node, back) {
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  let item = element?.closest(".transcript-lines > li");
  while (item && !item.classList.contains("transcript-line")) {
    item = back ? item.previousElementSibling : item.nextElementSibling;
  }
  return item;
}

/** Text with its whitespace collapsed, as the server compares words. */
function flat(text) {
  return text.replace(/\s+/g, " ").trim();
}

/** What is selected in the lines' words (times, speakers and links left out): the first
 * and last line that hold selected words, the words, where in the first line's words they
 * start (to tell apart words said twice), or null. */
function selectedWords() {
  const selection = getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
  const range = selection.getRangeAt(0);
  const from = lineNear(range.startContainer, false);
  const to = lineNear(range.endContainer, true);
  if (!from || !to || from.closest(".transcript-body") === null) return null;
  if (from.compareDocumentPosition(to) & Node.DOCUMENT_POSITION_PRECEDING) return null;
  const parts = [];
  let first = null;
  let last = null;
  let at = 0;
  for (let line = from; line; line = line.nextElementSibling) {
    const text = line.classList.contains("transcript-line")
      ? line.querySelector(".transcript-text")
      : null;
    if (text) {
      // The line's words, cut to the selection where it starts or ends inside them.
      const part = document.createRange();
      part.selectNodeContents(text);
      if (range.compareBoundaryPoints(Range.START_TO_START, part) > 0) {
        part.setStart(range.startContainer, range.startOffset);
      }
      if (range.compareBoundaryPoints(Range.END_TO_END, part) < 0) {
        part.setEnd(range.endContainer, range.endOffset);
      }
      const words = part.collapsed ? "" : flat(part.toString());
      if (words) {
        if (!first) {
          first = line;
          const before = document.createRange();
          before.selectNodeContents(text);
          before.setEnd(part.startContainer, part.startOffset);
          const lead = before.toString().replace(/\s+/g, " ").replace(/^ /, "");
          at = lead.length;
        }
        last = line;
        parts.push(words);
      }
    }
    if (line === to) break;
  }
  if (!first) return null;
  return {
    first: first.id.replace("segment-", ""),
    last: last.id.replace("segment-", ""),
    at,
    words: parts.join(" "),
    rect: range.getBoundingClientRect(),
  };
}

function openHighlight(found) {
  const form = dialog.querySelector("form");
  form.elements.first.value = found.first;
  form.elements.last.value = found.last;
  form.elements.at.value = found.at;
  form.elements.words.value = found.words;
  selectionTools.hidden = true;
  dialog.showModal();
  form.elements.kind.focus();
}

/** Go to the redaction page with the selected words, to confirm there. */
function openRedact(found) {
  const url = new URL(redactButton.dataset.url, location.href);
  for (const key of ["first", "last", "at", "words"]) url.searchParams.set(key, found[key]);
  location.assign(url);
}

if (selectionTools && selectionButton && dialog) {
  document.body.append(selectionTools); // placed by the page's coordinates, not a container's
  let timer = 0;
  document.addEventListener("selectionchange", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const found = dialog.open ? null : selectedWords();
      selectionTools.hidden = !found;
      if (!found) return;
      selectionTools.style.top = `${window.scrollY + found.rect.bottom + 6}px`;
      selectionTools.style.left = `${window.scrollX + Math.max(8, found.rect.left)}px`;
    }, 120);
  });
  selectionTools.addEventListener("mousedown", (event) => event.preventDefault()); // keep the selection
  redactButton?.addEventListener("click", () => {
    const found = selectedWords();
    if (found) openRedact(found);
  });
  selectionButton.addEventListener("click", () => {
    const found = selectedWords();
    if (found) openHighlight(found);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "h" || event.altKey || event.ctrlKey || event.metaKey) return;
    if (typing(event.target) || dialog.open) return;
    const found = selectedWords();
    if (!found) return;
    event.preventDefault();
    openHighlight(found);
  });
  for (const close of dialog.querySelectorAll("[data-close-dialog]")) {
    close.addEventListener("click", (event) => {
      event.preventDefault();
      dialog.close();
    });
  }
}

if (audio) {
  document.addEventListener("click", (event) => {
    const play = event.target.closest(".mark-play[data-start]");
    if (!play) return;
    audio.currentTime = Number(play.dataset.start) / 1000;
    audio.play().catch(() => {});
  });
}
