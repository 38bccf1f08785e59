// Uploading a recording in pieces, with a progress bar, resuming after a dropped connection.
//
// The form (`data-recording-upload`) posts the file whole without this script. With it, the
// file goes in pieces of `data-chunk-bytes`: `start` says its name and size and answers where
// to send them and how much the server already has (an unfinished upload of the same file
// resumes); each piece is POSTed to `chunk_url?offset=N`. When a piece fails on the network
// (or the server is busy, 503), the script waits, asks the server how much it has (GET
// `chunk_url`) and goes on from there. A refusal (not a recording Heard takes, consent) is
// shown as the server words it and ends the upload.

const RETRY_SECONDS = [1, 2, 4, 8, 15, 30];

function megabytes(bytes) {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

class Refused extends Error {}

function setUp(form) {
  const input = form.querySelector("input[type=file]");
  const consent = form.querySelector("input[name=consent]");
  const bar = form.querySelector("progress");
  const progress = form.querySelector("[data-progress]");
  const status = form.querySelector("[data-status]");
  const send = form.querySelector("[data-send]");
  const cancel = form.querySelector("[data-cancel]");
  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const chunkBytes = Number(form.dataset.chunkBytes);
  let controller = null;
  let upload = null;

  const say = (text) => {
    status.textContent = text;
  };
  const show = (sent, size) => {
    const percent = Math.floor((sent / size) * 100);
    bar.value = percent;
    bar.textContent = `${percent}%`;
    say(`${megabytes(sent)} of ${megabytes(size)} sent (${percent}%).`);
  };

  async function call(url, options = {}) {
    const response = await fetch(url, {
      credentials: "same-origin",
      signal: controller.signal,
      ...options,
      headers: { "X-CSRFToken": token, "X-Requested-With": "fetch", ...(options.headers || {}) },
    });
    const type = response.headers.get("Content-Type") || "";
    if (response.redirected || !type.includes("application/json")) {
      if (response.status === 503 || response.status >= 500) throw new TypeError("busy");
      if (response.status === 413) throw new Refused("The piece was too large for the server.");
      throw new Refused("Your session has ended. Sign in again in another tab, then choose the file again to resume.");
    }
    const answer = await response.json();
    if (response.status === 409) return answer; // a gap: go on from the server's offset
    if (response.status === 503) throw new TypeError("busy");
    if (!response.ok) throw new Refused(answer.error || "The server refused the upload.");
    return answer;
  }

  async function sendPieces(file) {
    let offset = upload.offset;
    let tries = 0;
    show(offset, file.size);
    while (offset < file.size) {
      try {
        const piece = file.slice(offset, offset + chunkBytes);
        const answer = await call(`${upload.chunk_url}?offset=${offset}`, {
          method: "POST",
          headers: { "Content-Type": "application/octet-stream" },
          body: piece,
        });
        offset = answer.offset;
        upload = { ...upload, ...answer };
        tries = 0;
        show(offset, file.size);
      } catch (error) {
        if (error instanceof Refused || controller.signal.aborted) throw error;
        const wait = RETRY_SECONDS[Math.min(tries, RETRY_SECONDS.length - 1)];
        tries += 1;
        say(`The connection dropped at ${megabytes(offset)} of ${megabytes(file.size)}. Trying again in ${wait} s…`);
        await new Promise((resolve) => setTimeout(resolve, wait * 1000));
        try {
          offset = (await call(upload.chunk_url)).offset;
        } catch (again) {
          if (again instanceof Refused) throw again;
        }
      }
    }
  }

  async function refreshList() {
    const list = document.getElementById("recording-list");
    const response = await fetch(form.dataset.listUrl, { credentials: "same-origin" });
    if (!list || !response.ok) return;
    list.outerHTML = await response.text();
    const fresh = document.getElementById("recording-list");
    if (fresh && window.htmx) window.htmx.process(fresh);
  }

  function finish() {
    controller = null;
    send.disabled = false;
    input.disabled = false;
    cancel.hidden = true;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = input.files[0];
    if (!file) {
      say("Choose a recording first.");
      input.focus();
      return;
    }
    controller = new AbortController();
    send.disabled = true;
    input.disabled = true;
    cancel.hidden = false;
    progress.hidden = false;
    bar.value = 0;
    say(`Starting the upload of ${file.name}…`);
    try {
      upload = await call(form.dataset.startUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: file.name, size: file.size, consent: consent ? consent.checked : false }),
      });
      if (upload.error) throw new Refused(upload.error);
      await sendPieces(file);
      progress.hidden = true;
      say(`Uploaded ${file.name}. Its line above says when it is ready to play.`);
      form.reset();
      await refreshList();
    } catch (error) {
      if (controller && controller.signal.aborted) {
        say("Upload cancelled.");
      } else if (error instanceof Refused) {
        progress.hidden = true;
        say(`Not uploaded: ${error.message}`);
        await refreshList();
      } else {
        say("The upload could not reach the server. Choose the same file again to resume.");
      }
    } finally {
      finish();
    }
  });

  cancel.addEventListener("click", async () => {
    if (!controller) return;
    controller.abort();
    if (upload) {
      await fetch(upload.delete_url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token, "X-Requested-With": "fetch" },
      });
      upload = null;
      await refreshList();
    }
  });
}

for (const form of document.querySelectorAll("form[data-recording-upload]")) setUp(form);
