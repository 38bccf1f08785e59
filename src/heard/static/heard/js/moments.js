// Plays a moment of an interview's recording in the page: the links that quotes and notes
// carry where a recording covers them (interviews/_moment.html, class "play-moment"). One
// small player, made on the first click, plays from the moment's start and stops at its end
// (a note's moment plays on). Without this script the link opens the recording at that time
// (a media fragment, #t=start,end).

let player = null;
let audio = null;
let about = null;
let end = null;
let playing = null; // the link whose moment plays

function makePlayer() {
  player = document.createElement("section");
  player.className = "moment-player";
  player.setAttribute("aria-label", "A moment of the recording");
  about = document.createElement("p");
  about.setAttribute("role", "status");
  audio = document.createElement("audio");
  audio.controls = true;
  audio.preload = "metadata";
  const close = document.createElement("button");
  close.type = "button";
  close.className = "btn btn--secondary btn--small";
  close.textContent = "Close";
  close.addEventListener("click", () => {
    audio.pause();
    player.hidden = true;
    const back = playing;
    mark(null);
    back?.focus();
  });
  audio.addEventListener("timeupdate", () => {
    if (end !== null && audio.currentTime >= end) {
      audio.pause();
      end = null;
    }
  });
  audio.addEventListener("pause", () => playing?.classList.remove("is-playing"));
  audio.addEventListener("play", () => playing?.classList.add("is-playing"));
  player.append(about, audio, close);
  document.body.append(player);
}

function mark(link) {
  playing?.classList.remove("is-playing");
  playing = link;
  playing?.classList.add("is-playing");
}

function play(link) {
  if (!player) makePlayer();
  player.hidden = false;
  const src = new URL(link.dataset.momentSrc, location.href).href;
  const start = Number(link.dataset.momentStart);
  end = link.dataset.momentEnd ? Number(link.dataset.momentEnd) : null;
  about.textContent = `Playing ${link.dataset.momentAbout}`;
  mark(link);
  const fromStart = () => {
    audio.currentTime = start;
    audio.play().catch(() => {}); // a refusal leaves the player at the moment, for its button
  };
  if (audio.src !== src) {
    audio.addEventListener("loadedmetadata", fromStart, { once: true });
    audio.src = src;
    audio.load();
  } else {
    fromStart();
  }
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a.play-moment[data-moment-src]");
  if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  play(link);
});
